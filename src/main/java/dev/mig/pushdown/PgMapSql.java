package dev.mig.pushdown;

import dev.mig.db.Column;
import dev.mig.pushdown.SqlExpr.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A map's SQL on PostgreSQL: jsonb operators, casts to the declared type, one statement per chunk. */
final class PgMapSql extends MapSql {
    PgMapSql(MapShape map, Translator t) {
        super(map, t);
    }

    @Override
    protected Statement statement(String table, String from, List<String> columns, List<String> values, String whereSql,
                                  String whereGuard, String guard) {
        return new Statement(combined(table, from, columns, values, whereSql, whereGuard, guard), null, null,
                map.source().primaryKey(), true);
    }

    /**
     * One pass over the chunk: inputs computed once per row, then guards and where, then the values
     * (in fenced levels: OFFSET 0 keeps PostgreSQL from folding a computed value back into every
     * place that uses it), written by a data-modifying CTE.
     */
    private String combined(String table, String from, List<String> columns, List<String> values, String whereSql,
                            String whereGuard, String guard) {
        // only the columns the map reads travel through the chunk's working set
        List<String> needed = new ArrayList<>();
        for (Column c : map.source().columns()) {
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
            upsert(write, columns);
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

    @Override
    protected SqlExpr storedAs(SqlExpr v, String declared) {
        return new SqlExpr("CAST(" + v.sql() + " AS " + declared + ")", v.kind(), v.guard(), v.declared());
    }

    @Override
    protected SqlExpr jsonColumn(SqlExpr v, Column c) {
        if (!c.declaredType().equalsIgnoreCase("jsonb")) {
            return null;
        }
        return new SqlExpr(v.sql(), Kind.JSON, SqlExpr.and(v.guard(),
                "(" + v.sql() + " IS NULL OR jsonb_typeof(" + v.sql() + ") IN ('object', 'array'))"));
    }

    @Override
    protected boolean holdsJsonObject(Column c) {
        return c.declaredType().equalsIgnoreCase("jsonb");
    }

    @Override
    protected String objectOrEmpty(String value, String then) {
        return "CASE WHEN jsonb_typeof(" + value + ") = 'object' THEN " + then + " ELSE '{}'::jsonb END";
    }

    @Override
    protected String validJson(String value) {
        return null; // a jsonb column holds valid JSON
    }

    @Override
    protected String withoutKeys(String object, Set<String> keys) {
        return "(" + object + " - " + textArray(keys) + ")";
    }

    @Override
    protected String emptyObject() {
        return "'{}'::jsonb";
    }

    @Override
    protected String keyLiteral(String key) {
        return "CAST('" + key.replace("'", "''") + "' AS TEXT)";
    }

    @Override
    protected String withKeys(String base, Set<String> keys, List<String> pairs) {
        // drop every written key, add back the non-null ones
        return "((" + base + ") - " + textArray(keys) + " || jsonb_strip_nulls(jsonb_build_object(" + String.join(", ", pairs) + ")))";
    }

    @Override
    protected SqlExpr jsonValue(SqlExpr v) throws NotPushable {
        return switch (v.kind()) {
            case NULL -> new SqlExpr("NULL::jsonb", Kind.JSON, null);
            case TEXT, INTEGER -> new SqlExpr("to_jsonb(" + v.sql() + ")", Kind.JSON, v.guard());
            case TIMESTAMP -> {
                SqlExpr text = t.text(v);
                yield new SqlExpr("to_jsonb(" + text.sql() + ")", Kind.JSON, text.guard());
            }
            case JSON -> new SqlExpr(v.sql(), Kind.JSON, SqlExpr.and(v.guard(),
                    "(" + v.sql() + " IS NULL OR jsonb_typeof(" + v.sql() + ") NOT IN ('object', 'array'))"));
            default -> throw new NotPushable("a " + v.declared() + " value into JSON");
        };
    }
}
