package dev.mig.pushdown;

import dev.mig.data.Builtin;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.syntax.Expr;
import dev.mig.syntax.QName;
import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A map line's value, decided once when the map is compiled: the shape of its source, the function of that
 * shape, its cast and its default. Each back end takes the form or declines it: the evaluator walks every
 * expression; {@link #value} computes COLUMNS, NULL and CALL without the walk (the streamed map's and the
 * cross-database checksum's hot path); {@code run.map.DirectRows} encodes the forms that have a binary COPY
 * shape; the SQL translators write what translates exactly. What a function computes is {@link Builtin}'s:
 * one switch per back end without a default, so no back end can learn a function the others do not know of.
 */
public final class LineForm {
    public enum Shape {
        /** {@code null}. */
        NULL,
        /** A source column, or coalesce of source columns: the first value that is not null. */
        COLUMNS,
        /** A function that reads only its argument, of COLUMNS. */
        CALL,
        /** Anything else: only the evaluator's walk and the translators' know it. */
        EXPRESSION
    }

    private final Shape shape;
    private final Builtin function;
    private final String[] columns;
    private final String cast;
    private final Expr fallback;

    private LineForm(Shape shape, Builtin function, List<String> columns, String cast, Expr fallback) {
        this.shape = shape;
        this.function = function;
        this.columns = columns.toArray(new String[0]);
        this.cast = cast;
        this.fallback = fallback;
    }

    public Shape shape() {
        return shape;
    }

    /** For CALL: the function of the columns' first value that is not null. */
    public Builtin function() {
        return function;
    }

    /** For COLUMNS and CALL: the source columns, first not null wins. */
    public List<String> columns() {
        return List.of(columns);
    }

    /** The line's {@code as type}, or null. */
    public String cast() {
        return cast;
    }

    /** The line's {@code default}, or null. */
    public Expr fallback() {
        return fallback;
    }

    public static LineForm of(Stmt.MapLine line) {
        Expr source = line.source();
        if (source instanceof Expr.Literal literal && literal.value() == null) {
            return new LineForm(Shape.NULL, null, List.of(), line.type(), line.fallback());
        }
        List<String> names = columns(source);
        if (names != null) {
            return new LineForm(Shape.COLUMNS, null, names, line.type(), line.fallback());
        }
        if (source instanceof Expr.Call call && call.where() == null && call.args().size() == 1) {
            Builtin fn = Builtin.of(call.function());
            List<String> of = columns(call.args().get(0));
            if (fn != null && of != null && fn.reads() == Builtin.Reads.ROW) {
                return new LineForm(Shape.CALL, fn, of, line.type(), line.fallback());
            }
        }
        return new LineForm(Shape.EXPRESSION, null, List.of(), line.type(), line.fallback());
    }

    /** Whether {@link #value} computes the source without the evaluator's walk (every shape but EXPRESSION). */
    public boolean plain() {
        return shape != Shape.EXPRESSION;
    }

    /**
     * The source's value on a row of a plain form, as the evaluator gives it: the first column value that is
     * not null, and a function applied by the evaluator's own code (LineFormTest compares the two).
     */
    public Object value(Row row, Evaluator evaluator) {
        if (shape == Shape.NULL) {
            return null;
        }
        if (shape == Shape.EXPRESSION) {
            throw new IllegalStateException("an expression's value is the evaluator's walk");
        }
        Object v = first(row, columns);
        if (shape == Shape.COLUMNS || v == null && function.nullOnNull()) {
            return v;
        }
        return evaluator.apply(function, Collections.singletonList(v));
    }

    /** The first value of these columns that is not null. */
    public static Object first(Row row, String[] names) {
        for (String name : names) {
            Object v = row.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Whether the value is the source's own, with no cast or default after it. */
    public boolean bare() {
        return cast == null && fallback == null;
    }

    /** A plain source column, or coalesce of plain source columns; null for anything else. */
    private static List<String> columns(Expr e) {
        if (e instanceof QName q && q.size() == 1 && !q.star()) {
            return List.of(q.first());
        }
        if (e instanceof Expr.Call call && Builtin.of(call.function()) == Builtin.COALESCE && call.where() == null
                && !call.args().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Expr arg : call.args()) {
                if (!(arg instanceof QName q) || q.size() != 1 || q.star()) {
                    return null;
                }
                names.add(q.first());
            }
            return names;
        }
        return null;
    }
}
