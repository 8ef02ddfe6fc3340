package dev.mig.pushdown;

/**
 * An expression translated to SQL: its text, what kind of value it yields, and a guard — a SQL
 * condition that is true exactly when the SQL value is the value mig's evaluator would compute
 * for that row (null: always). Rows whose guard is not true go through the evaluator instead, so
 * a push-down never changes what a map writes or rejects.
 */
public record SqlExpr(String sql, Kind kind, String guard, String declared) {
    public SqlExpr(String sql, Kind kind, String guard) {
        this(sql, kind, guard, null);
    }

    /** What the SQL yields, as far as exactness is concerned. */
    public enum Kind {
        /** SQL NULL literal. */
        NULL,
        /** text the evaluator also sees as a String. */
        TEXT,
        /** a whole number the evaluator sees as a Long. */
        INTEGER,
        /** a PostgreSQL jsonb value / a SQLite json_extract result (JSON null already made SQL NULL). */
        JSON,
        /** a PostgreSQL timestamptz (the evaluator sees its ISO-8601 UTC text). */
        TIMESTAMP,
        /** a condition. */
        BOOLEAN,
        /** a column value copied unchanged; only valid into a column of the same declared type ({@link #declared}). */
        COLUMN
    }

    /** Both guards, either of which may be null. */
    public static String and(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a + " AND " + b;
    }
}
