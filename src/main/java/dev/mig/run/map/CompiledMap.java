package dev.mig.run.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.data.Casts;
import dev.mig.data.Convert;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.FixedRow;
import dev.mig.data.InvalidText;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.LineForm;
import dev.mig.pushdown.MapShape;
import dev.mig.run.session.Session;
import dev.mig.syntax.EditDistance;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Exprs;
import dev.mig.syntax.QName;
import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A map checked against the real source and target tables, ready to transform rows. Every name is
 * resolved before the first row moves, so a typo fails at its line, not after a million rows.
 */
public final class CompiledMap implements MapShape {
    private final Stmt.MapTable map;
    private final TableInfo source;
    private final TableInfo target;
    private final boolean inPlace;
    private final List<String> key;
    private final List<String> written = new ArrayList<>();
    private volatile FixedRow.Names writtenNames;
    private volatile Written[] writtenPlan;
    private final Map<String, List<Line>> byColumn = new LinkedHashMap<>();
    /** Whether the target keeps text that is not UTF-8 as its bytes (SQLite); elsewhere such a row is rejected. */
    private boolean holdsInvalidText;

    private CompiledMap(Stmt.MapTable map, TableInfo source, TableInfo target, boolean inPlace, List<String> key) {
        this.map = map;
        this.source = source;
        this.target = target;
        this.inPlace = inPlace;
        this.key = key;
    }

    public static CompiledMap compile(Session session, Stmt.MapTable map) {
        TableInfo source = session.connections().table(map.source());
        TableInfo target = session.connections().table(map.target());
        boolean inPlace = map.source().sameTable(map.target());
        boolean holdsInvalidText = session.connections().db(map.target()).dialect().holdsInvalidText();
        for (Stmt.MapLine line : map.lines()) {
            checkSourceNames(session, source, line.source());
            if (line.fallback() != null) {
                checkSourceNames(session, source, line.fallback());
            }
        }
        if (map.where() != null) {
            checkSourceNames(session, source, map.where());
        }
        List<String> key = new ArrayList<>();
        for (QName k : map.key()) {
            Column c = target.column(k.first());
            if (c == null || k.size() > 1) {
                throw session.error(k.span(), map.target() + " has no column " + k.source() + hint(target, k.first()));
            }
            key.add(c.name());
        }
        if (key.isEmpty()) {
            key.addAll(target.primaryKey());
        }
        if (key.isEmpty()) {
            throw session.error(map.span(), map.target() + " has no primary key: name the columns that identify a row "
                    + "with key, e.g. map " + map.source() + " -> " + map.target() + " key id { ... }");
        }
        CompiledMap compiled = new CompiledMap(map, source, target, inPlace, key);
        compiled.holdsInvalidText = holdsInvalidText;
        for (Stmt.MapLine line : map.lines()) {
            QName t = line.target();
            Column c = target.column(t.first());
            if (c == null) {
                throw session.error(t.span(), map.target() + " has no column " + t.first() + hint(target, t.first()));
            }
            String starSource = null;
            if (t.star()) {
                starSource = ((QName) line.source()).first();
            }
            compiled.byColumn.computeIfAbsent(c.name(), x -> new ArrayList<>())
                    .add(new Line(line, c.name(), t.parts().subList(1, t.size()), t.star(), starSource, LineForm.of(line)));
            if (!compiled.written.contains(c.name())) {
                compiled.written.add(c.name());
            }
        }
        for (String k : key) {
            if (!compiled.written.contains(k)) {
                if (!inPlace) {
                    throw session.error(map.span(), "key column " + k + " of " + map.target() + " is not mapped, so "
                            + "rows cannot be matched: add a line such as " + k + " -> " + k);
                }
                compiled.written.add(k);
            }
        }
        return compiled;
    }

    private static void checkSourceNames(Session session, TableInfo source, Expr e) {
        for (QName q : names(e, new ArrayList<>())) {
            if (source.column(q.first()) == null) {
                throw session.error(q.span(), source.name() + " has no column " + q.first() + hint(source, q.first()));
            }
        }
    }

    private static String hint(TableInfo table, String name) {
        for (Column c : table.columns()) {
            if (EditDistance.of(c.name().toLowerCase(), name.toLowerCase()) <= 2) {
                return " (did you mean " + c.name() + "?)";
            }
        }
        return " (columns: " + String.join(", ", table.columnNames()) + ")";
    }

    /** Every column reference in an expression (count(...) names tables, not columns). */
    public static List<QName> names(Expr e, List<QName> out) {
        if (e instanceof QName q) {
            out.add(q);
        } else if (!(e instanceof Expr.Call c && c.function().equals("count"))) {
            for (Expr child : Exprs.children(e)) {
                names(child, out);
            }
        }
        return out;
    }

    public Stmt.MapTable map() {
        return map;
    }

    public TableInfo source() {
        return source;
    }

    public TableInfo target() {
        return target;
    }

    public boolean inPlace() {
        return inPlace;
    }

    public List<String> key() {
        return key;
    }

    /** The target columns this map writes, key columns included. */
    public List<String> written() {
        return written;
    }

    public RowWriter.Mode mode() {
        if (inPlace) {
            return RowWriter.Mode.UPDATE;
        }
        return target.isUnique(key) ? RowWriter.Mode.UPSERT : RowWriter.Mode.UPDATE_ELSE_INSERT;
    }

    /** The source column that feeds target column {@code column} unchanged, or null. */
    public String plainSource(String column) {
        if (inPlace) {
            return column;
        }
        List<Line> lines = byColumn.get(column);
        if (lines != null && lines.size() == 1 && lines.get(0).path().isEmpty() && !lines.get(0).star()
                && lines.get(0).form().shape() == LineForm.Shape.COLUMNS && lines.get(0).form().columns().size() == 1) {
            return source.column(lines.get(0).form().columns().get(0)).name();
        }
        return null;
    }

    /** The lines that write a target column; null for an in-place key column no line writes. */
    @Override
    public List<Line> lines(String column) {
        return byColumn.get(column);
    }

    public boolean selects(Evaluator evaluator, Row row) {
        return map.where() == null || evaluator.test(map.where(), row);
    }

    /** The target row for a source row: values by target column, converted to the columns' types. */
    public Map<String, Object> transform(Row row, Evaluator evaluator) {
        Written[] plan = writtenPlan;
        if (plan == null) {
            plan = writtenPlan();
        }
        FixedRow out = new FixedRow(writtenNames);
        for (int i = 0; i < plan.length; i++) {
            Written w = plan[i];
            Object value;
            if (w.lines == null) {
                value = row.get(w.column); // an in-place key column
            } else if (w.single) {
                value = value(w.lines.get(0).line(), w.plain, row, evaluator);
            } else {
                value = assemble(w.column, w.lines, row, evaluator);
            }
            try {
                out.set(i, value instanceof InvalidText t && holdsInvalidText && w.type == LogicalType.TEXT
                        ? t : Convert.to(w.type, value));
            } catch (EvalException e) {
                throw new EvalException("target " + w.column + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * What transform needs of each written column, looked up once instead of once a row: its type, its lines,
     * whether one whole-column line writes it, and that line's form when it is plain (computed without the walk) or null.
     */
    private record Written(String column, LogicalType type, List<Line> lines, boolean single, LineForm plain) {
    }

    private Written[] writtenPlan() {
        Written[] plan = new Written[written.size()];
        for (int i = 0; i < plan.length; i++) {
            String column = written.get(i);
            List<Line> lines = byColumn.get(column);
            boolean single = lines != null && lines.size() == 1 && lines.get(0).path().isEmpty() && !lines.get(0).star();
            plan[i] = new Written(column, target.column(column).type(), lines, single,
                    single && lines.get(0).form().plain() ? lines.get(0).form() : null);
        }
        writtenNames = new FixedRow.Names(written);
        writtenPlan = plan; // after compile, written and its lines do not change
        return plan;
    }

    private static Object value(Stmt.MapLine line, LineForm plain, Row row, Evaluator evaluator) {
        Object v = plain != null ? plain.value(row, evaluator) : evaluator.eval(line.source(), row);
        if (line.type() != null) {
            v = Casts.to(line.type(), v);
        }
        if (v == null && line.fallback() != null) {
            v = evaluator.eval(line.fallback(), row);
            if (line.type() != null) {
                v = Casts.to(line.type(), v);
            }
        }
        return v;
    }

    /** A JSON column built from whole-column, col.* and path lines; a null value removes its key. */
    private Object assemble(String column, List<Line> lines, Row row, Evaluator evaluator) {
        ObjectNode base = Values.JSON.createObjectNode();
        if (inPlace) {
            JsonNode existing = row.json(column);
            if (existing != null && existing.isObject()) {
                base = existing.deepCopy();
            }
        }
        Set<String> explicit = new HashSet<>();
        for (Line line : lines) {
            if (!line.path().isEmpty()) {
                explicit.add(line.path().get(0));
            }
        }
        for (Line line : lines) {
            if (line.path().isEmpty() && !line.star()) {
                Object whole = value(line.line(), null, row, evaluator);
                JsonNode node = whole instanceof String s ? Values.parseJson(s) : Values.toJson(whole);
                if (node.isObject()) {
                    base = node.deepCopy();
                }
            }
        }
        for (Line line : lines) {
            if (line.star()) {
                JsonNode from = row.json(line.starSource());
                if (from != null && from.isObject()) {
                    ObjectNode target = base;
                    from.fields().forEachRemaining(f -> {
                        if (!explicit.contains(f.getKey())) {
                            target.set(f.getKey(), f.getValue().deepCopy());
                        }
                    });
                }
            }
        }
        for (Line line : lines) {
            if (!line.path().isEmpty()) {
                set(base, line.path(), value(line.line(), null, row, evaluator));
            }
        }
        return base;
    }

    private static void set(ObjectNode node, List<String> path, Object value) {
        ObjectNode at = node;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode next = at.get(path.get(i));
            if (!(next instanceof ObjectNode)) {
                if (value == null) {
                    return;
                }
                next = at.putObject(path.get(i));
            }
            at = (ObjectNode) next;
        }
        String last = path.get(path.size() - 1);
        if (value == null) {
            at.remove(last);
        } else {
            at.set(last, Values.toJson(value));
        }
    }
}
