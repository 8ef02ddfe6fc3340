package dev.mig.run.map;

import dev.mig.data.Builtin;
import dev.mig.data.Casts;
import dev.mig.data.Convert;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.IsoTime;
import dev.mig.data.Row;
import dev.mig.db.BatchWriter;
import dev.mig.db.BinaryRow;
import dev.mig.db.Column;
import dev.mig.pushdown.LineForm;
import dev.mig.pushdown.MapShape;
import dev.mig.syntax.Expr;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * A map's fast path for lines of plain forms ({@link LineForm}) - a source column (or coalesce of columns), null,
 * upper(...), utc(...), {@code column as int default N} - into columns that binary COPY writes: a row whose values have
 * the plain shapes (text, integers, ISO times) goes straight into the COPY batch, with no expression
 * evaluated and no target row built; the target row is computed only if the batch needs it (text COPY, a
 * merge, a row the database refuses). Any other row goes the ordinary way. Exact: each column writes the
 * bytes the ordinary path writes for the values it takes (DirectRowsTest compares the two on edge cases).
 * Why: case A of the benchmarks spent most of its CPU - and of the JIT's - evaluating four shapes of line.
 */
final class DirectRows {
    private enum Op { TEXT, UPPER, TIME, INTEGER, NULL }

    /** One target column: what to do, the source columns (first not null wins), the value for null. */
    private record Slot(Op op, String[] sources, String kind, Long whenNull) {
    }

    /** Rows that took this path, in this process (what DirectRowsTest checks the path ran by). */
    static final LongAdder ROWS = new LongAdder();

    private final Slot[] slots;
    private final CompiledMap compiled;
    private final Evaluator evaluator;

    private DirectRows(Slot[] slots, CompiledMap compiled, Evaluator evaluator) {
        this.slots = slots;
        this.compiled = compiled;
        this.evaluator = evaluator;
    }

    /**
     * The fast path for a map into {@code columns} (the order of a writer that takes encoded rows), or null
     * when some line's form has no binary shape.
     */
    static DirectRows of(CompiledMap compiled, List<Column> columns, Evaluator evaluator) {
        if (compiled.inPlace() || compiled.map().where() != null || compiled.map().keepExisting()
                || "false".equals(System.getProperty("mig.direct"))) {
            return null;
        }
        Slot[] slots = new Slot[columns.size()];
        for (int i = 0; i < slots.length; i++) {
            Column column = columns.get(i);
            List<MapShape.Line> written = compiled.lines(column.name());
            String kind = BinaryRow.kind(column);
            if (written == null || written.size() != 1 || kind == null) {
                return null;
            }
            slots[i] = slot(written.get(0), column, kind, evaluator);
            if (slots[i] == null) {
                return null;
            }
        }
        return new DirectRows(slots, compiled, evaluator);
    }

    /** The slot of a line's form, or null when this column has no binary shape for it. */
    private static Slot slot(MapShape.Line written, Column column, String kind, Evaluator evaluator) {
        LineForm form = written.form();
        if (!written.path().isEmpty() || written.star()) {
            return null;
        }
        String[] columns = form.columns().toArray(new String[0]);
        boolean integer = kind.equals("integer") || kind.equals("bigint") || kind.equals("smallint");
        if (!form.bare()) {
            // column as int [default N]: the cast and the default as the ordinary path computes them, once
            String type = form.cast(); // as the ordinary path casts: by this exact name
            if (!integer || form.shape() != LineForm.Shape.COLUMNS
                    || (type != null && !type.equals("int") && !type.equals("bigint"))) {
                return null;
            }
            Long whenNull = null;
            if (form.fallback() != null) {
                if (!(form.fallback() instanceof Expr.Literal)) {
                    return null;
                }
                try {
                    Object v = evaluator.eval(form.fallback(), Row.of(Map.of()));
                    v = type == null ? v : Casts.to(type, v);
                    v = Convert.to(column.type(), v);
                    if (v != null && !(v instanceof Long)) {
                        return null;
                    }
                    whenNull = (Long) v;
                } catch (EvalException e) {
                    return null;
                }
            }
            return new Slot(Op.INTEGER, columns, kind, whenNull);
        }
        return switch (form.shape()) {
            case NULL -> new Slot(Op.NULL, columns, kind, null);
            case COLUMNS -> kind.equals("text") ? new Slot(Op.TEXT, columns, kind, null)
                    : integer ? new Slot(Op.INTEGER, columns, kind, null) : null;
            case CALL -> form.function() == Builtin.UPPER && kind.equals("text") ? new Slot(Op.UPPER, columns, kind, null)
                    : form.function() == Builtin.UTC && kind.startsWith("timestamp") ? new Slot(Op.TIME, columns, kind, null)
                    : null;
            case EXPRESSION -> null;
        };
    }

    /** Queues the row straight into the writer's binary batch; false when it must go the ordinary way. */
    boolean add(Row row, BatchWriter writer) throws SQLException {
        if (writer.addEncoded(new Target(row), out -> encode(row, out))) {
            ROWS.increment();
            return true;
        }
        return false;
    }

    /** Writes the row's columns; false at the first value without its plain shape. */
    boolean encode(Row row, BinaryRow out) {
        for (Slot slot : slots) {
            Object v = slot.op == Op.NULL ? null : LineForm.first(row, slot.sources);
            if (v == null) {
                if (slot.whenNull == null) {
                    out.putNull();
                } else if (!out.putInteger(slot.kind, slot.whenNull)) {
                    return false;
                }
                continue;
            }
            boolean written = switch (slot.op) {
                case TEXT -> v instanceof String s && out.putText(s);
                case UPPER -> v instanceof String s && out.putUpperAscii(s);
                case INTEGER -> v instanceof Long n && out.putInteger(slot.kind, n);
                case TIME -> v instanceof String s && time(s, out);
                case NULL -> false;
            };
            if (!written) {
                return false;
            }
        }
        return true;
    }

    /** utc(text): the instant IsoTime reads, as utc() and binary COPY's own reading of utc()'s text give it. */
    private static boolean time(String s, BinaryRow out) {
        IsoTime t = IsoTime.read(s);
        if (t == null) {
            return false;
        }
        long epochSecond;
        try {
            epochSecond = t.epochSecond();
        } catch (DateTimeException e) {
            return false; // not a date: the ordinary path rejects the row with its reason
        }
        return out.putTime(epochSecond, t.nanos());
    }

    /** The target row of a fast row, computed the ordinary way when (and if) the batch asks for it. */
    private final class Target extends AbstractMap<String, Object> {
        private final Row row;
        private Map<String, Object> values;

        Target(Row row) {
            this.row = row;
        }

        private Map<String, Object> target() {
            if (values == null) {
                try {
                    values = compiled.transform(row, evaluator);
                } catch (EvalException e) { // encode() took only values the ordinary path takes: a defect if reached
                    throw new IllegalStateException("the fast path took a row the map rejects: " + e.getMessage(), e);
                }
            }
            return values;
        }

        @Override
        public Object get(Object key) {
            return target().get(key);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return target().entrySet();
        }
    }
}
