package dev.mig.pushdown;

import dev.mig.data.LogicalType;
import dev.mig.db.Column;
import dev.mig.pushdown.SqlExpr.Kind;
import java.util.List;
import java.util.Set;

/**
 * A map's SQL on SQLite: an UPDATE or INSERT ... SELECT per key range with mig's registered functions;
 * JSON lives in TEXT columns, so validity is part of each row's guard.
 */
final class SqliteMapSql extends MapSql {
    SqliteMapSql(MapShape map, Translator t) {
        super(map, t);
    }

    @Override
    protected Statement statement(String table, String from, List<String> columns, List<String> values, String whereSql,
                                  String whereGuard, String guard) {
        String pushed = "(" + whereSql + ") IS TRUE AND (" + (guard == null ? "TRUE" : guard) + ") IS TRUE";
        String leftOut = map.map().where() == null ? null : "(" + whereSql + ") IS NOT TRUE AND (" + whereGuard + ") IS TRUE";
        String evaluatorRows = "NOT (" + pushed + (leftOut == null ? "" : " OR " + leftOut) + ")";
        StringBuilder sql = new StringBuilder();
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
            upsert(sql, columns);
        }
        return new Statement(sql.toString(), evaluatorRows, leftOut, map.source().primaryKey(), false);
    }

    @Override
    protected SqlExpr storedAs(SqlExpr v, String declared) {
        return v; // dynamic types: the value is stored as it is
    }

    @Override
    protected SqlExpr jsonColumn(SqlExpr v, Column c) {
        return null;
    }

    @Override
    protected boolean holdsJsonObject(Column c) {
        return c.type() == LogicalType.TEXT || c.type() == LogicalType.JSON;
    }

    @Override
    protected String objectOrEmpty(String value, String then) {
        return "CASE WHEN json_type(" + value + ") = 'object' THEN " + then + " ELSE '{}' END";
    }

    @Override
    protected String validJson(String value) {
        return "(" + value + " IS NULL OR (typeof(" + value + ") = 'text' AND json_valid(" + value + ")))";
    }

    @Override
    protected String withoutKeys(String object, Set<String> keys) {
        return "json_remove(" + object + ", " + String.join(", ", keys.stream().map(k -> Translator.sqlitePath(List.of(k))).toList()) + ")";
    }

    @Override
    protected String emptyObject() {
        return "'{}'";
    }

    @Override
    protected String keyLiteral(String key) {
        return "'" + key.replace("'", "''") + "'";
    }

    @Override
    protected String withKeys(String base, Set<String> keys, List<String> pairs) {
        // a merge patch removes keys whose value is null and sets the others
        return "json_patch(" + base + ", json_object(" + String.join(", ", pairs) + "))";
    }

    @Override
    protected SqlExpr jsonValue(SqlExpr v) throws NotPushable {
        return switch (v.kind()) {
            case NULL -> new SqlExpr("NULL", Kind.JSON, null);
            case TEXT, INTEGER -> new SqlExpr(v.sql(), Kind.JSON, v.guard());
            case TIMESTAMP -> {
                SqlExpr text = t.text(v);
                yield new SqlExpr("to_jsonb(" + text.sql() + ")", Kind.JSON, text.guard());
            }
            case JSON -> new SqlExpr(v.sql(), Kind.JSON, SqlExpr.and(v.guard(), scalar(v)));
            default -> throw new NotPushable("a " + v.declared() + " value into JSON");
        };
    }

    private static String scalar(SqlExpr v) throws NotPushable {
        if (v.declared() == null) {
            throw new NotPushable("a JSON value of unknown type");
        }
        return "(" + v.sql() + " IS NULL OR " + v.declared() + " IN ('text', 'integer'))";
    }
}
