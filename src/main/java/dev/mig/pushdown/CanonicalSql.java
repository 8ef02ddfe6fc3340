package dev.mig.pushdown;

import dev.mig.data.Canonical;
import dev.mig.data.LogicalType;
import dev.mig.db.Column;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL SQL for the row hash of {@link dev.mig.data.Digest}: the canonical row text of
 * {@link Canonical#row} built in SQL, hashed with sha256, first eight bytes — so a checksum sends
 * eight bytes a row instead of the row. Null for a row the SQL cannot render exactly (a timestamp
 * outside years 1 to 9999); such rows are hashed by mig.
 */
public final class CanonicalSql {
    private CanonicalSql() {
    }

    /** Whether rows of this database can be hashed in SQL (PostgreSQL; SQLite has no md5 or canonical JSON). */
    public static boolean inDatabase(Dialect dialect) {
        return dialect.sql() == Dialect.Sql.POSTGRES;
    }

    /**
     * The hash SQL (bytea of 8, or null for the row) over the given columns, or null when the database
     * cannot hash in SQL or a column's type has no SQL form.
     */
    public static String rowHash(Dialect dialect, TableInfo table, List<String> columns) {
        return inDatabase(dialect) ? rowHash(table, columns) : null;
    }

    /** The hash SQL (bytea of 8, or null for the row) over the given columns, or null when a column's type has no SQL form. */
    public static String rowHash(TableInfo table, List<String> columns) {
        String[] parts = rowText(table, columns);
        if (parts == null) {
            return null;
        }
        String hash = "substring(sha256(convert_to(" + parts[0] + ", 'UTF8')) from 1 for 8)";
        return parts[1] == null ? hash : "CASE WHEN " + parts[1] + " THEN " + hash + " END";
    }

    /** The canonical row text SQL and the guard under which it is exact (null: always), or null. */
    public static String[] rowText(TableInfo table, List<String> columns) {
        List<String> names = new ArrayList<>();
        for (String name : columns) {
            names.add(table.column(name).name());
        }
        Collections.sort(names);
        StringBuilder text = new StringBuilder();
        List<String> guards = new ArrayList<>();
        for (String name : names) {
            Column c = table.column(name);
            String value = value(c, guards);
            if (value == null) {
                return null;
            }
            text.append(text.length() == 0 ? "'{" : " || ',")
                    .append(Canonical.value(name, LogicalType.TEXT).replace("'", "''"))
                    .append(":' || COALESCE(").append(value).append(", 'null')");
        }
        String row = names.isEmpty() ? "'{}'" : text + " || '}'";
        return new String[] {row, guards.isEmpty() ? null : String.join(" AND ", guards)};
    }

    /** The hash as a signed 64-bit integer, for summing inside the database. */
    public static String asBigint(String hash) {
        return "('x' || encode(" + hash + ", 'hex'))::bit(64)::bigint";
    }

    /**
     * A column's canonical text in SQL, or null when it has none that is exact; a switch over every logical type
     * without a default, so a new type is decided here too.
     */
    private static String value(Column c, List<String> guards) {
        String q = '"' + c.name().replace("\"", "\"\"") + '"';
        String declared = c.declaredType().toLowerCase(Locale.ROOT);
        return switch (c.type()) {
            case TEXT, UUID, OTHER -> "to_json(" + q + "::text)::text";
            case INTEGER -> q + "::text";
            case BOOLEAN -> "CASE WHEN " + q + " THEN 'true' WHEN NOT " + q + " THEN 'false' END";
            case FLOAT -> declared.startsWith("numeric") || declared.startsWith("decimal") ? "trim_scale(" + q + ")::text" : null;
            case TIMESTAMP -> timestamp(q, declared, guards);
            case JSON, BINARY, VECTOR -> null;
        };
    }

    private static String timestamp(String q, String declared, List<String> guards) {
        // UTC digits by to_char, not the ::text output: that follows the session's TimeZone and
        // DateStyle, which a script's own sql statement may have changed
        String utc;
        if (declared.contains("with time zone") || declared.equals("timestamptz")) {
            utc = "(" + q + " AT TIME ZONE 'UTC')";
        } else if (declared.startsWith("timestamp") || declared.equals("date")) {
            utc = "(" + q + "::timestamp)";
        } else {
            return null;
        }
        guards.add("(" + q + " IS NULL OR (" + utc + " >= '0001-01-01 00:00:00' AND " + utc + " < '10000-01-01 00:00:00'))");
        return "'\"' || to_char(" + utc + ", 'YYYY-MM-DD HH24:MI:SS') || rtrim(rtrim(to_char(" + utc
                + ", '.US'), '0'), '.') || '+00\"'";
    }
}
