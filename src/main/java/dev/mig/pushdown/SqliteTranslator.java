package dev.mig.pushdown;

import dev.mig.db.Column;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.SqlExpr.Kind;
import java.util.List;

/**
 * SQLite: values are dynamically typed, so a column reads as text (or integer) only when the row
 * really holds one (guarded with typeof); functions run as mig's own code registered in the
 * connection ({@link SqliteFunctions}), so their results are exact by construction.
 */
final class SqliteTranslator extends Translator {
    SqliteTranslator(TableInfo source, String now) {
        super(source, now);
    }

    @Override
    protected String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    protected SqlExpr column(Column c) {
        String ref = ref(c);
        return switch (c.type()) {
            case TEXT -> new SqlExpr(ref, Kind.TEXT, "typeof(" + ref + ") IN ('text', 'null')");
            case INTEGER -> new SqlExpr(ref, Kind.INTEGER, "typeof(" + ref + ") IN ('integer', 'null')");
            default -> new SqlExpr(ref, Kind.COLUMN, null, c.declaredType());
        };
    }

    @Override
    protected SqlExpr path(Column c, List<String> path) {
        String ref = ref(c);
        // json_extract gives 1 for true: the JSON type (carried in 'declared') tells them apart
        return new SqlExpr("json_extract(" + ref + ", " + jsonPath(path) + ")", Kind.JSON,
                "(" + ref + " IS NULL OR (typeof(" + ref + ") = 'text' AND json_valid(" + ref + ")))",
                "json_type(" + ref + ", " + jsonPath(path) + ")");
    }

    static String jsonPath(List<String> path) {
        StringBuilder p = new StringBuilder("'$");
        for (String part : path) {
            p.append(".\"").append(part.replace("'", "''").replace("\"", "\\\"")).append('"');
        }
        return p.append('\'').toString();
    }

    @Override
    public SqlExpr text(SqlExpr v) throws NotPushable {
        return switch (v.kind()) {
            case TEXT, NULL -> v;
            case INTEGER -> new SqlExpr("CAST(" + v.sql() + " AS TEXT)", Kind.TEXT, v.guard());
            case JSON -> new SqlExpr(v.sql(), Kind.TEXT, SqlExpr.and(v.guard(), jsonType(v, "'text'")));
            default -> throw new NotPushable("text of a " + v.declared() + " value");
        };
    }

    /** True when a JSON value is null or of one of the JSON types listed. */
    static String jsonType(SqlExpr v, String types) throws NotPushable {
        if (v.declared() == null) {
            throw new NotPushable("a JSON value of unknown type");
        }
        return "(" + v.sql() + " IS NULL OR " + v.declared() + " IN (" + types + "))";
    }

    @Override
    protected SqlExpr md5(SqlExpr text) {
        return new SqlExpr("mig_md5(" + text.sql() + ")", Kind.TEXT, text.guard());
    }

    @Override
    protected SqlExpr upperOrLower(String function, SqlExpr text) {
        return new SqlExpr("mig_" + function + "(" + text.sql() + ")", Kind.TEXT, text.guard());
    }

    @Override
    protected SqlExpr utc(SqlExpr v) throws NotPushable {
        if (v.kind() != Kind.TEXT && v.kind() != Kind.INTEGER && v.kind() != Kind.JSON && v.kind() != Kind.NULL
                && !(v.kind() == Kind.COLUMN)) {
            throw new NotPushable("utc() of this value");
        }
        // a real would reach Java as a double where the evaluator has the exact decimal text
        String type = v.kind() == Kind.JSON ? jsonType(v, "'text', 'integer'")
                : "typeof(" + v.sql() + ") IN ('text', 'integer', 'null')";
        String guard = SqlExpr.and(v.guard(), type + " AND mig_utc_ok(" + v.sql() + ")");
        return new SqlExpr("mig_utc(" + v.sql() + ")", Kind.TEXT, guard);
    }
}
