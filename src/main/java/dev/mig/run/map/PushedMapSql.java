package dev.mig.run.map;

import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.NotPushable;
import dev.mig.pushdown.SqlExpr.Kind;
import dev.mig.pushdown.SqlExpr;
import dev.mig.pushdown.Translator;
import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL of a map that runs inside its database: one statement per key range that writes every
 * row whose guard holds, plus the conditions that pick the rows left to the evaluator and the rows
 * the where leaves out. Built only when every expression translates exactly.
 */
final class PushedMapSql {
    /** Rows written by SQL for a key range; parameters: the range bounds. */
    final String statement;
    /** The condition (over the source) of rows the evaluator must handle: guards not true. */
    final String evaluatorRows;
    /** The condition of rows the where leaves out (counted, not written); null without a where. */
    final String leftOut;
    final List<String> rangeKey;

    /**
     * PostgreSQL: {@link #statement} is one query per chunk that writes the rows, and returns how
     * many, how many the where left out, and the keys left to the evaluator (JSON).
     */
    final boolean combined;

    private PushedMapSql(String statement, String evaluatorRows, String leftOut, List<String> rangeKey, boolean combined) {
        this.statement = statement;
        this.combined = combined;
        this.evaluatorRows = evaluatorRows;
        this.leftOut = leftOut;
        this.rangeKey = rangeKey;
    }

    static PushedMapSql build(CompiledMap map, Database db, String now) throws NotPushable {
        boolean pg = db.dialect().sql() == Dialect.Sql.POSTGRES;
        TableInfo source = map.source();
        TableInfo target = map.target();
        if (source.primaryKey().isEmpty()) {
            throw new NotPushable(source.name() + " has no primary key to split it into key ranges");
        }
        if (!map.inPlace() && map.mode() != dev.mig.db.RowWriter.Mode.UPSERT) {
            throw new NotPushable("the key of " + target.name() + " is not unique");
        }
        Translator t = Translator.of(db.dialect(), source, now);
        String guard = null;
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String column : map.written()) {
            List<CompiledMap.Line> lines = map.lines(column);
            if (lines == null) {
                continue; // an in-place key column: not written
            }
            Column c = target.column(column);
            SqlExpr v;
            if (lines.size() == 1 && lines.get(0).path().isEmpty() && !lines.get(0).star()) {
                v = convert(t, line(t, lines.get(0).line()), c, pg);
            } else {
                v = json(t, map, column, lines, pg);
            }
            guard = SqlExpr.and(guard, v.guard());
            columns.add(t.quote(c.name()));
            values.add(v.sql());
        }
        SqlExpr where = map.map().where() == null ? null : t.condition(map.map().where());
        String whereSql = where == null ? "TRUE" : where.sql();
        String whereGuard = where == null || where.guard() == null ? "TRUE" : where.guard();
        guard = SqlExpr.and(whereGuard.equals("TRUE") ? null : whereGuard, guard);
        String pushed = "(" + whereSql + ") IS TRUE AND (" + (guard == null ? "TRUE" : guard) + ") IS TRUE";
        String leftOut = where == null ? null : "(" + whereSql + ") IS NOT TRUE AND (" + whereGuard + ") IS TRUE";
        String evaluatorRows = "NOT (" + pushed + (leftOut == null ? "" : " OR " + leftOut) + ")";
        String table = db.dialect().table(target.name());
        String from = db.dialect().table(source.name());
        StringBuilder sql = new StringBuilder();
        if (pg) {
            return new PushedMapSql(combined(t, map, table, from, columns, values, whereSql, whereGuard, guard), null, null,
                    source.primaryKey(), true);
        }
        if (map.inPlace()) {
            sql.append("UPDATE ").append(table).append(" SET ");
            for (int i = 0; i < columns.size(); i++) {
                sql.append(i > 0 ? ", " : "").append(columns.get(i)).append(" = ").append(values.get(i));
            }
            sql.append(" WHERE ").append(pushed).append(" AND ?RANGE");
        } else {
            sql.append("INSERT INTO ").append(table).append(" (").append(String.join(", ", columns)).append(") SELECT ")
                    .append(String.join(", ", values)).append(" FROM ").append(from)
                    .append(" WHERE ").append(pushed).append(" AND ?RANGE");
            upsert(sql, map, columns, t);
        }
        return new PushedMapSql(sql.toString(), evaluatorRows, leftOut, source.primaryKey(), false);
    }

    /**
     * One pass over the chunk: inputs computed once per row, then guards and where, then the values
     * (in fenced levels: OFFSET 0 keeps PostgreSQL from folding a computed value back into every
     * place that uses it), written by a data-modifying CTE.
     */
    private static String combined(Translator t, CompiledMap map, String table, String from, List<String> columns,
                                   List<String> values, String whereSql, String whereGuard, String guard) {
        // only the columns the map reads travel through the chunk's working set
        List<String> needed = new ArrayList<>();
        for (dev.mig.db.Column c : map.source().columns()) {
            String q = t.quote(c.name());
            boolean used = map.source().primaryKey().contains(c.name()) || map.inPlace() && columns.contains(q);
            for (String v : values) {
                used |= v.contains(q);
            }
            used |= guard != null && guard.contains(q) || whereSql.contains(q) || whereGuard.contains(q);
            for (Translator.Binding b : t.inputs()) {
                used |= b.sql().contains(q);
            }
            if (used) {
                needed.add("s." + q);
            }
        }
        if (map.inPlace()) {
            needed.add("s.ctid AS \"mig$ctid\"");
        }
        String rows = "SELECT " + String.join(", ", needed) + " FROM " + from + " AS s WHERE ?RANGE OFFSET 0";
        int inputLevels = t.inputs().stream().mapToInt(Translator.Binding::level).max().orElse(0);
        for (int level = 1; level <= inputLevels; level++) {
            List<String> items = new ArrayList<>();
            for (Translator.Binding b : t.inputs()) {
                if (b.level() == level) {
                    items.add(b.sql() + " AS " + b.name());
                }
            }
            rows = "SELECT s.*, " + String.join(", ", items) + " FROM (" + rows + ") AS s OFFSET 0";
        }
        String checked = "SELECT s.*, (" + (guard == null ? "TRUE" : guard) + ") IS TRUE AS \"mig$ok\", (" + whereSql
                + ") IS TRUE AS \"mig$in\", (" + whereGuard + ") IS TRUE AS \"mig$wok\" FROM (" + rows + ") AS s";
        String chosen = "SELECT * FROM \"mig$s\" WHERE \"mig$ok\" AND \"mig$in\"";
        int top = t.bindings().stream().mapToInt(Translator.Binding::level).max().orElse(0);
        for (int level = 1; level <= top; level++) {
            List<String> items = new ArrayList<>();
            for (Translator.Binding b : t.bindings()) {
                if (b.level() == level) {
                    items.add(b.sql() + " AS " + b.name());
                }
            }
            chosen = "SELECT s.*, " + String.join(", ", items) + " FROM (" + chosen + ") AS s OFFSET 0";
        }
        List<String> outputs = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            outputs.add(values.get(i) + " AS " + t.quote("mig$o" + i));
            outs.add("v." + t.quote("mig$o" + i));
        }
        chosen = "SELECT s.*, " + String.join(", ", outputs) + " FROM (" + chosen + ") AS s";
        StringBuilder write = new StringBuilder();
        if (map.inPlace()) {
            write.append("UPDATE ").append(table).append(" AS \"mig$t\" SET ");
            for (int i = 0; i < columns.size(); i++) {
                write.append(i > 0 ? ", " : "").append(columns.get(i)).append(" = ").append(outs.get(i));
            }
            // by row address: cheaper than a key lookup per row; a row an application updated meanwhile has
            // moved, is not matched, and goes to the evaluator (below)
            write.append(" FROM (").append(chosen).append(") AS v WHERE \"mig$t\".ctid = v.\"mig$ctid\" RETURNING v.\"mig$ctid\"");
        } else {
            write.append("INSERT INTO ").append(table).append(" (").append(String.join(", ", columns)).append(") SELECT ")
                    .append(String.join(", ", outs)).append(" FROM (").append(chosen).append(") AS v");
            upsert(write, map, columns, t);
            write.append(" RETURNING 1");
        }
        String missed = map.inPlace() ? " OR (\"mig$ok\" AND \"mig$in\" AND \"mig$ctid\" NOT IN (SELECT \"mig$ctid\" FROM \"mig$w\"))" : "";
        String keys = String.join(", ", map.source().primaryKey().stream().map(t::quote).toList());
        return "WITH \"mig$s\" AS MATERIALIZED (" + checked + "), \"mig$w\" AS (" + write + ") "
                + "SELECT (SELECT count(*) FROM \"mig$w\"), "
                + "(SELECT count(*) FROM \"mig$s\" WHERE NOT \"mig$in\" AND \"mig$wok\"), "
                + "(SELECT json_agg(json_build_array(" + keys + ")) FROM \"mig$s\" WHERE NOT ((\"mig$ok\" AND \"mig$in\") "
                + "OR (NOT \"mig$in\" AND \"mig$wok\"))" + missed + ")";
    }

    private static void upsert(StringBuilder sql, CompiledMap map, List<String> columns, Translator t) {
        sql.append(" ON CONFLICT (").append(String.join(", ", map.key().stream().map(t::quote).toList())).append(") DO UPDATE SET ");
        List<String> sets = new ArrayList<>();
        for (String column : columns) {
            sets.add(column + " = excluded." + column);
        }
        sql.append(String.join(", ", sets)); // key columns included: every row counts as written
    }

    /** A whole-value line: its expression, with its default when null; casts stay in the evaluator. */
    private static SqlExpr line(Translator t, Stmt.MapLine line) throws NotPushable {
        SqlExpr v = t.expr(line.source());
        if (line.type() != null) {
            v = t.cast(v, line.type());
        }
        if (line.fallback() == null) {
            return v;
        }
        SqlExpr d = t.expr(line.fallback());
        if (line.type() != null) {
            d = t.cast(d, line.type());
        }
        if (v.kind() != d.kind() && d.kind() != Kind.NULL && v.kind() != Kind.NULL || v.kind() == Kind.COLUMN) {
            throw new NotPushable("a default of another kind than its value");
        }
        return new SqlExpr("COALESCE(" + v.sql() + ", " + d.sql() + ")", v.kind() == Kind.NULL ? d.kind() : v.kind(),
                SqlExpr.and(v.guard(), d.guard()), v.declared());
    }

    /** The value as the target column stores it, as Convert.to would make it. */
    private static SqlExpr convert(Translator t, SqlExpr v, Column c, boolean pg) throws NotPushable {
        String declared = c.declaredType();
        switch (v.kind()) {
            case NULL:
                return new SqlExpr("NULL", Kind.NULL, null);
            case COLUMN:
                if (v.declared() != null && v.declared().equalsIgnoreCase(declared)) {
                    return v;
                }
                break;
            case TEXT:
                if (c.type() == dev.mig.data.LogicalType.TEXT || c.type() == dev.mig.data.LogicalType.TIMESTAMP) {
                    return cast(v, declared, pg);
                }
                break;
            case INTEGER:
                if (c.type() == dev.mig.data.LogicalType.INTEGER || c.type() == dev.mig.data.LogicalType.FLOAT) {
                    return cast(v, declared, pg);
                }
                if (c.type() == dev.mig.data.LogicalType.TEXT) {
                    return cast(new SqlExpr("CAST(" + v.sql() + " AS TEXT)", Kind.TEXT, v.guard()), declared, pg);
                }
                break;
            case TIMESTAMP:
                if (c.type() == dev.mig.data.LogicalType.TIMESTAMP) {
                    return cast(v, declared, pg);
                }
                if (c.type() == dev.mig.data.LogicalType.TEXT) {
                    return cast(textOf(t, v), declared, pg);
                }
                break;
            case JSON:
                if (c.type() == dev.mig.data.LogicalType.TEXT || c.type() == dev.mig.data.LogicalType.TIMESTAMP) {
                    return cast(textOf(t, v), declared, pg);
                }
                if (pg && declared.equalsIgnoreCase("jsonb")) {
                    return new SqlExpr(v.sql(), Kind.JSON, SqlExpr.and(v.guard(),
                            "(" + v.sql() + " IS NULL OR jsonb_typeof(" + v.sql() + ") IN ('object', 'array'))"));
                }
                break;
            default:
                break;
        }
        throw new NotPushable("a " + v.kind().name().toLowerCase(Locale.ROOT) + " value into " + c.name() + " " + declared);
    }

    private static SqlExpr textOf(Translator t, SqlExpr v) throws NotPushable {
        // the dialect's text of a value, with its guard: Translator.expr of a call would do the same
        return t.text(v);
    }

    private static SqlExpr cast(SqlExpr v, String declared, boolean pg) {
        return pg ? new SqlExpr("CAST(" + v.sql() + " AS " + declared + ")", v.kind(), v.guard(), v.declared()) : v;
    }

    /** A JSON column built from path lines (one level), over the row's own object in place or a col.* copy. */
    private static SqlExpr json(Translator t, CompiledMap map, String column, List<CompiledMap.Line> lines, boolean pg)
            throws NotPushable {
        Column c = map.target().column(column);
        if (pg ? !c.declaredType().equalsIgnoreCase("jsonb") : c.type() != dev.mig.data.LogicalType.TEXT
                && c.type() != dev.mig.data.LogicalType.JSON) {
            throw new NotPushable("JSON paths into " + column + " " + c.declaredType());
        }
        Set<String> keys = new LinkedHashSet<>();
        String star = null;
        for (CompiledMap.Line line : lines) {
            if (line.star()) {
                if (star != null || map.inPlace()) {
                    throw new NotPushable("this col.* line");
                }
                star = line.starSource();
            } else if (line.path().isEmpty()) {
                throw new NotPushable("a whole-column line together with path lines");
            } else if (line.path().size() > 1 || !keys.add(line.path().get(0))) {
                throw new NotPushable("the path " + column + "." + String.join(".", line.path()));
            }
        }
        String guard = null;
        String base;
        String self = t.quote(column);
        if (map.inPlace()) {
            base = pg ? "CASE WHEN jsonb_typeof(" + self + ") = 'object' THEN " + self + " ELSE '{}'::jsonb END"
                    : "CASE WHEN json_type(" + self + ") = 'object' THEN " + self + " ELSE '{}' END";
            if (!pg) {
                guard = "(" + self + " IS NULL OR (typeof(" + self + ") = 'text' AND json_valid(" + self + ")))";
            }
        } else if (star != null) {
            Column from = map.source().column(star);
            String src = t.quote(from.name());
            if (pg && !from.declaredType().equalsIgnoreCase("jsonb")) {
                throw new NotPushable(star + ".* from a " + from.declaredType() + " column");
            }
            String removed = keys.isEmpty() ? src : pg ? "(" + src + " - " + textArray(keys) + ")"
                    : "json_remove(" + src + ", " + String.join(", ", keys.stream().map(k -> Translator.sqlitePath(List.of(k))).toList()) + ")";
            base = pg ? "CASE WHEN jsonb_typeof(" + src + ") = 'object' THEN " + removed + " ELSE '{}'::jsonb END"
                    : "CASE WHEN json_type(" + src + ") = 'object' THEN " + removed + " ELSE '{}' END";
            if (!pg) {
                guard = "(" + src + " IS NULL OR (typeof(" + src + ") = 'text' AND json_valid(" + src + ")))";
            }
        } else {
            base = pg ? "'{}'::jsonb" : "'{}'";
        }
        if (keys.isEmpty()) {
            return new SqlExpr(base, Kind.JSON, guard);
        }
        List<String> pairs = new ArrayList<>();
        for (CompiledMap.Line line : lines) {
            if (line.path().isEmpty()) {
                continue;
            }
            SqlExpr v = jsonValue(t, line(t, line.line()), pg);
            guard = SqlExpr.and(guard, v.guard());
            pairs.add((pg ? "CAST('" : "'") + line.path().get(0).replace("'", "''") + (pg ? "' AS TEXT)" : "'"));
            pairs.add(v.sql());
        }
        if (pg) {
            // null values remove their key, as in the evaluator: drop every written key, add back the non-null ones
            String sql = "((" + base + ") - " + textArray(keys) + " || jsonb_strip_nulls(jsonb_build_object(" + String.join(", ", pairs) + ")))";
            return new SqlExpr(sql, Kind.JSON, guard);
        }
        // a merge patch removes keys whose value is null and sets the others
        return new SqlExpr("json_patch(" + base + ", json_object(" + String.join(", ", pairs) + "))", Kind.JSON, guard);
    }

    /** A value as it goes into a JSON object; objects and arrays are left to the evaluator (nested nulls). */
    private static SqlExpr jsonValue(Translator t, SqlExpr v, boolean pg) throws NotPushable {
        return switch (v.kind()) {
            case NULL -> new SqlExpr(pg ? "NULL::jsonb" : "NULL", Kind.JSON, null);
            case TEXT, INTEGER -> new SqlExpr(pg ? "to_jsonb(" + v.sql() + ")" : v.sql(), Kind.JSON, v.guard());
            case TIMESTAMP -> {
                SqlExpr text = textOf(t, v);
                yield new SqlExpr("to_jsonb(" + text.sql() + ")", Kind.JSON, text.guard());
            }
            case JSON -> pg ? new SqlExpr(v.sql(), Kind.JSON, SqlExpr.and(v.guard(),
                    "(" + v.sql() + " IS NULL OR jsonb_typeof(" + v.sql() + ") NOT IN ('object', 'array'))"))
                    : new SqlExpr(v.sql(), Kind.JSON, SqlExpr.and(v.guard(), sqliteScalar(v)));
            default -> throw new NotPushable("a " + v.declared() + " value into JSON");
        };
    }

    private static String sqliteScalar(SqlExpr v) throws NotPushable {
        if (v.declared() == null) {
            throw new NotPushable("a JSON value of unknown type");
        }
        return "(" + v.sql() + " IS NULL OR " + v.declared() + " IN ('text', 'integer'))";
    }

    private static String textArray(Set<String> keys) {
        return "ARRAY[" + String.join(", ", keys.stream().map(k -> "'" + k.replace("'", "''") + "'").toList()) + "]::text[]";
    }
}
