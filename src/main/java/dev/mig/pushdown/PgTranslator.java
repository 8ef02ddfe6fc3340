package dev.mig.pushdown;

import dev.mig.data.LogicalType;
import dev.mig.db.Column;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.SqlExpr.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** PostgreSQL: jsonb paths, md5, upper/lower on ASCII, utc() for the timestamp forms it parses exactly. */
final class PgTranslator extends Translator {

    PgTranslator(TableInfo source, String now) {
        super(source, now);
    }

    @Override
    protected String literal(String text) {
        return "CAST('" + text.replace("'", "''") + "' AS TEXT)";
    }

    @Override
    protected SqlExpr column(Column c) {
        String declared = c.declaredType().toLowerCase(Locale.ROOT);
        return switch (c.type()) {
            case TEXT -> new SqlExpr(ref(c), Kind.TEXT, null);
            case INTEGER -> new SqlExpr(ref(c), Kind.INTEGER, null);
            case JSON -> declared.equals("jsonb") ? new SqlExpr(ref(c), Kind.JSON, null) : columnAsIs(c);
            case TIMESTAMP -> declared.startsWith("timestamp") && declared.contains("with time zone") || declared.equals("timestamptz")
                    ? new SqlExpr(ref(c), Kind.TIMESTAMP, null) : columnAsIs(c);
            default -> columnAsIs(c);
        };
    }

    private SqlExpr columnAsIs(Column c) {
        return new SqlExpr(ref(c), Kind.COLUMN, null, c.declaredType());
    }

    @Override
    protected SqlExpr path(Column c, List<String> path) throws NotPushable {
        if (c.type() != LogicalType.JSON || !c.declaredType().equalsIgnoreCase("jsonb")) {
            throw new NotPushable("JSON paths into a " + c.declaredType() + " column");
        }
        StringBuilder array = new StringBuilder("ARRAY[");
        for (int i = 0; i < path.size(); i++) {
            array.append(i > 0 ? "," : "").append('\'').append(path.get(i).replace("'", "''")).append('\'');
        }
        array.append("]::text[]");
        // an input: read once per row however often the map uses it
        return new SqlExpr(bindInput("NULLIF(" + ref(c) + " #> " + array + ", 'null'::jsonb)"), Kind.JSON, null);
    }

    @Override
    public SqlExpr text(SqlExpr v) throws NotPushable {
        return switch (v.kind()) {
            case TEXT, NULL -> v;
            case INTEGER -> new SqlExpr("CAST(" + v.sql() + " AS TEXT)", Kind.TEXT, v.guard());
            case JSON -> new SqlExpr("(" + v.sql() + " #>> '{}')", Kind.TEXT,
                    SqlExpr.and(v.guard(), guardOver("(" + v.sql() + " IS NULL OR jsonb_typeof(" + v.sql() + ") = 'string')")));
            case TIMESTAMP -> new SqlExpr(format(v.sql()), Kind.TEXT, SqlExpr.and(v.guard(), guardOver(yearGuard(v.sql()))));
            default -> throw new NotPushable("text of a " + v.declared() + " value");
        };
    }

    @Override
    protected SqlExpr md5(SqlExpr text) {
        return new SqlExpr("md5(" + text.sql() + ")", Kind.TEXT, text.guard());
    }

    @Override
    protected SqlExpr upperOrLower(String function, SqlExpr text) throws NotPushable {
        // ASCII only: Java's Unicode case mapping and the database's differ beyond it
        String guard = guardOver("(" + text.sql() + " IS NULL OR octet_length(" + text.sql() + ") = char_length(" + text.sql() + "))");
        return new SqlExpr(function + "(" + text.sql() + " COLLATE \"C\")", Kind.TEXT, SqlExpr.and(text.guard(), guard));
    }

    @Override
    protected SqlExpr utc(SqlExpr v) throws NotPushable {
        if (v.kind() == Kind.TIMESTAMP) {
            return new SqlExpr(format(bind(v.sql())), Kind.TEXT, SqlExpr.and(v.guard(), guardOver(yearGuard(v.sql()))));
        }
        String raw;
        String guard = v.guard();
        if (v.kind() == Kind.JSON) {
            raw = "(" + v.sql() + " #>> '{}')";
            guard = SqlExpr.and(guard, guardOver("(" + v.sql() + " IS NULL OR jsonb_typeof(" + v.sql() + ") IN ('string', 'number'))"));
        } else if (v.kind() == Kind.TEXT || v.kind() == Kind.NULL) {
            raw = v.sql();
        } else {
            throw new NotPushable("utc() of a " + v.kind().name().toLowerCase(Locale.ROOT) + " value");
        }
        String t = bindInput(guardOver(raw));
        // Shapes are checked with translate() and fixed positions: PostgreSQL's regular expressions
        // cost microseconds a row. Epoch seconds (milliseconds above 1e11) with at most microseconds,
        // or ISO-8601 text that PostgreSQL and java.time read alike.
        guard = SqlExpr.and(guard, "(" + t + " IS NULL OR CASE WHEN " + isEpoch(t) + " THEN " + epochExact(seconds(t))
                + " ELSE " + isoShape(t) + " END)");
        String s = bind("CASE WHEN " + isEpoch(t) + " THEN " + seconds(t) + " END");
        String ts = bind("CASE WHEN " + s + " IS NOT NULL THEN to_timestamp(trunc(" + s + ")::float8) + ((" + s + " - trunc(" + s
                + ")) * 1000000)::bigint * interval '1 microsecond' ELSE " + t + "::timestamptz END");
        return new SqlExpr(format(ts), Kind.TEXT, guard);
    }

    /** Digits with at most one dot inside (no sign, no exponent), at most 25 characters. */
    private static String isEpoch(String t) {
        return "(length(" + t + ") BETWEEN 1 AND 25 AND translate(" + t + ", '0123456789', '') IN ('', '.') AND left(" + t
                + ", 1) <> '.' AND right(" + t + ", 1) <> '.')";
    }

    private static String seconds(String t) {
        return "(CASE WHEN " + t + "::numeric > 100000000000 THEN " + t + "::numeric / 1000 ELSE " + t + "::numeric END)";
    }

    private static String epochExact(String s) {
        return "(" + s + " * 1000000 = trunc(" + s + " * 1000000) AND " + s + " < 253402300800)";
    }

    /** The ISO-8601 shapes java.time and PostgreSQL both read the same way, by digit mask and field ranges. */
    private static String isoShape(String t) {
        String mask = "translate(" + t + ", '123456789', '000000000')";
        List<String> shapes = new ArrayList<>();
        for (String sep : List.of("T", " ")) {
            for (String secs : List.of("", ":00", ":00.0", ":00.00", ":00.000", ":00.0000", ":00.00000", ":00.000000")) {
                for (String zone : List.of("", "Z", "+00:00", "-00:00")) {
                    shapes.add("'0000-00-00" + sep + "00:00" + secs + zone + "'");
                }
            }
        }
        String c = " COLLATE \"C\"";
        String year = "substr(" + t + ", 1, 4)";
        String month = "substr(" + t + ", 6, 2)" + c;
        String day = "substr(" + t + ", 9, 2)" + c;
        // a real calendar date (PostgreSQL would fail the whole statement on 2024-02-30, java.time rejects the row)
        String leap = "(" + year + "::int % 4 = 0 AND (" + year + "::int % 100 <> 0 OR " + year + "::int % 400 = 0))";
        String date = year + c + " > '0000' AND " + month + " BETWEEN '01' AND '12' AND " + day + " >= '01' AND (" + day
                + " <= '28' OR CASE " + month + " WHEN '02' THEN " + day + " = '29' AND " + leap + " WHEN '04' THEN " + day
                + " <= '30' WHEN '06' THEN " + day + " <= '30' WHEN '09' THEN " + day + " <= '30' WHEN '11' THEN " + day
                + " <= '30' ELSE " + day + " <= '31' END)";
        String time = "substr(" + t + ", 12, 2)" + c + " <= '23' AND substr(" + t + ", 15, 2)" + c + " <= '59' AND (length(" + t
                + ") < 19 OR substr(" + t + ", 17, 1) <> ':' OR substr(" + t + ", 18, 2)" + c + " <= '59') AND (substr(" + t
                + ", length(" + t + ") - 5, 1) NOT IN ('+', '-') OR (substr(" + t + ", length(" + t + ") - 4, 2)" + c
                + " <= '14' AND right(" + t + ", 2)" + c + " <= '59'))";
        return "(" + mask + " IN ('0000-00-00', " + String.join(", ", shapes) + ") AND " + date + " AND (length(" + t + ") = 10 OR "
                + time + "))";
    }

    /** Timestamps.format's text of a timestamptz: Python's isoformat() in UTC, six fraction digits or none. */
    static String format(String ts) {
        String micros = "(extract(microseconds FROM " + ts + ")::bigint % 1000000)";
        return "(to_char(" + ts + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN " + micros + " = 0 THEN '' "
                + "ELSE '.' || lpad(" + micros + "::text, 6, '0') END || '+00:00')";
    }

    private static String yearGuard(String ts) {
        return "(" + ts + " IS NULL OR (" + ts + " >= '0001-01-01T00:00:00Z' AND " + ts + " < '10000-01-01T00:00:00Z'))";
    }
}
