package dev.mig.syntax;

/** {@code conn.table}; the table may contain a schema when written {@code conn."schema.table"}. */
public record TableRef(String conn, String table, Span span) {
    /** Same connection and table, wherever each is written. */
    public boolean sameTable(TableRef other) {
        return other != null && conn.equals(other.conn) && table.equals(other.table);
    }

    public String source() {
        return Names.quoteIfNeeded(conn) + "." + Names.quoteIfNeeded(table);
    }

    @Override
    public String toString() {
        return source();
    }
}
