package dev.mig.run.map;

import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.data.Timestamps;
import dev.mig.syntax.Expr;
import dev.mig.syntax.QName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The source of a map line of a plain shape - a column, coalesce of columns, null, upper(...) or utc(...)
 * of those - computed without the evaluator, as the evaluator computes it (PlainSourceTest compares the
 * two); a value of any other kind than text goes to the evaluator. Why: the checksum across databases
 * repeats the map's transform for every source row, and evaluating these four shapes was a fifth of its
 * CPU.
 */
final class PlainSource {
    enum Op { COLUMN, UPPER, UTC, NULL }

    private final Op op;
    private final String[] columns;
    private final Expr source;

    private PlainSource(Op op, String[] columns, Expr source) {
        this.op = op;
        this.columns = columns;
        this.source = source;
    }

    Op op() {
        return op;
    }

    /** The source columns, first not null wins (none for null). */
    String[] columns() {
        return columns;
    }

    /** The plain form of {@code source}, or null when it has another shape. */
    static PlainSource of(Expr source) {
        if (source instanceof Expr.Literal literal && literal.value() == null) {
            return new PlainSource(Op.NULL, new String[0], source);
        }
        String[] names = columns(source);
        if (names != null) {
            return new PlainSource(Op.COLUMN, names, source);
        }
        if (source instanceof Expr.Call call && call.where() == null && call.args().size() == 1) {
            String function = call.function().toLowerCase(Locale.ROOT); // as Builtins names it
            String[] of = columns(call.args().get(0));
            if (of != null && function.equals("upper")) {
                return new PlainSource(Op.UPPER, of, source);
            }
            if (of != null && function.equals("utc")) {
                return new PlainSource(Op.UTC, of, source);
            }
        }
        return null;
    }

    /** A plain source column, or coalesce of plain source columns (first not null wins); null for anything else. */
    static String[] columns(Expr e) {
        if (e instanceof QName q && q.size() == 1 && !q.star()) {
            return new String[] {q.first()};
        }
        if (e instanceof Expr.Call call && call.function().equalsIgnoreCase("coalesce") && call.where() == null
                && !call.args().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Expr arg : call.args()) {
                if (!(arg instanceof QName q) || q.size() != 1 || q.star()) {
                    return null;
                }
                names.add(q.first());
            }
            return names.toArray(String[]::new);
        }
        return null;
    }

    /** The value the evaluator gives for this source on {@code row}. */
    Object eval(Row row, Evaluator evaluator) {
        if (op == Op.NULL) {
            return null;
        }
        Object v = first(row, columns);
        if (v == null || op == Op.COLUMN) {
            return v; // upper and utc are null on null
        }
        if (!(v instanceof String s)) {
            return evaluator.eval(source, row); // numbers, bytes, JSON: Builtins' own conversions
        }
        return op == Op.UPPER ? s.toUpperCase(Locale.ROOT) : Timestamps.utc(s);
    }

    static Object first(Row row, String[] names) {
        for (String name : names) {
            Object v = row.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
