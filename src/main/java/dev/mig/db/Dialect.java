package dev.mig.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What differs between PostgreSQL and SQLite: names, introspection, value I/O, upsert. */
public interface Dialect {
    String name();

    default String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A table name as SQL: "schema"."table" when written conn."schema.table". */
    default String table(String table) {
        int dot = table.indexOf('.');
        if (dot > 0 && dot < table.length() - 1) {
            return quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
        }
        return quote(table);
    }

    List<String> tables(Connection c) throws SQLException;

    /** The table, or null when it does not exist. */
    TableInfo describe(Connection c, String table) throws SQLException;

    /** The value of column i (1-based) as mig's value types. */
    Object read(ResultSet rs, int i, Column column) throws SQLException;

    /**
     * A select-list item whose bit i (0-based) is set when column i's value in that row is text that
     * {@link #readText} reads as {@link #read} would, with less work; null where there is no such item.
     */
    default String textBits(Database db, List<Column> columns) throws SQLException {
        return null;
    }

    /** A text value of column i (1-based), as {@link #textBits} marked it: what {@link #read} gives. */
    default Object readText(ResultSet rs, int i, Column column) throws SQLException {
        return read(rs, i, column);
    }

    /**
     * The value of column i for a digest only (never for a map): like {@link #read}, or text of the
     * same value that {@code Canonical} turns into the same canonical text with less work.
     */
    default Object readForDigest(ResultSet rs, int i, Column column) throws SQLException {
        return read(rs, i, column);
    }

    /**
     * Whether a text column can hold bytes that are not UTF-8 exactly as read (SQLite); a database that
     * stores only UTF-8 text refuses such a value, and the row is rejected with the reason.
     */
    default boolean holdsInvalidText() {
        return false;
    }

    /** Binds a value already converted for the column. */
    void bind(PreparedStatement ps, int i, Object value, Column column) throws SQLException;

    /** The placeholder for a value of this column: ? or CAST(? AS type). */
    String placeholder(Column column);

    /** ORDER BY expression for a key column read as text (an integer key compared with text keys), code point order. */
    String orderKeyAsText(Column column);

    /** The query of the names of a table's indexes, sorted, with the table name as its one parameter. */
    String indexNamesQuery();

    /** The names of the table's indexes, sorted. */
    default List<String> indexNames(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(indexNamesQuery())) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Whether the table has an index of that name. */
    default boolean hasIndex(Connection c, String table, String index) throws SQLException {
        return indexNames(c, table).contains(index);
    }

    /** ORDER BY / comparison expression for a key column, in code point order. */
    String orderKey(Column column);

    /** INSERT ... ON CONFLICT (key) DO UPDATE; the key must be unique in the target. */
    default String upsert(String table, List<Column> columns, List<String> key) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table(table)).append(" (");
        StringBuilder values = new StringBuilder();
        StringBuilder updates = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            sql.append(i > 0 ? ", " : "").append(quote(c.name()));
            values.append(i > 0 ? ", " : "").append(placeholder(c));
            if (key.stream().noneMatch(k -> k.equalsIgnoreCase(c.name()))) {
                updates.append(updates.length() > 0 ? ", " : "").append(quote(c.name())).append(" = excluded.")
                        .append(quote(c.name()));
            }
        }
        sql.append(") VALUES (").append(values).append(") ON CONFLICT (");
        sql.append(String.join(", ", key.stream().map(this::quote).toList())).append(") DO ");
        sql.append(updates.length() == 0 ? "NOTHING" : "UPDATE SET " + updates);
        return sql.toString();
    }

    /** The family of SQL the in-database translator ({@code pushdown}) writes for this database. */
    enum Sql { POSTGRES, SQLITE }

    Sql sql();

    /** {@code expression} read as text in a SELECT list (PostgreSQL casts json/uuid; SQLite values are text already). */
    default String asText(String expression) {
        return expression;
    }

    /** A primary key column {@code id} the database numbers itself. */
    String autoIncrementId();

    /** One statement per element: what a driver can execute in one {@code execute} call. */
    default List<String> statements(String script) {
        return List.of(script);
    }

    /**
     * Whether other connections can write while this one holds a write transaction (PostgreSQL) or the
     * database has one writer at a time (SQLite): parallel writers, and whether mig pauses for others.
     */
    boolean concurrentWriters();

    /**
     * Whether the database is one file an application opens in-process (SQLite): where Python mem0 keeps
     * its history and the TS SDK its default stores; a server database holds only copies of those.
     */
    default boolean applicationFile() {
        return !concurrentWriters();
    }

    /**
     * Called after each committed batch of writes: on a single-writer database a short pause, so an
     * application waiting for the write lock gets it between mig's batches.
     */
    default void yieldToWriters() {
    }

    /**
     * Whether a long read transaction holds other connections' commits off (SQLite in rollback-journal
     * mode: a writer must wait for every reader to finish). Whole-table reads then go in short pages.
     */
    default boolean readersBlockWriters(Database db) {
        return false;
    }

    /**
     * What identifies the storage a table's rows are in now - SQLite's root page, which a table rebuilt (copied
     * into a new table and renamed, as migrations do) does not keep - so that positions in storage order saved
     * before are not trusted after it; 0 where nothing says.
     */
    default long storageIdentity(Database db, TableInfo table) throws SQLException {
        return 0;
    }

    /**
     * The hidden column that orders a table as it is stored, for reads that do not need key order
     * (SQLite's rowid, when the table has one and no column takes its name), or null: then one query
     * without ORDER BY reads in storage order (PostgreSQL).
     */
    default String storageOrderColumn(Database db, TableInfo table) {
        return null;
    }

    /**
     * An SQL expression that grows with each row written or changed, for reading only what changed since
     * a position (mig watch): SQLite's rowid (rows added), PostgreSQL's xmin as a number (rows added or
     * updated; a smaller maximum than before means the counter wrapped, and a check reads everything).
     */
    default String changePosition(Database db, TableInfo table) {
        return storageOrderColumn(db, table);
    }

    /** Called before a read whose transaction would later write: ends it, where a read-then-write can deadlock. */
    default void endReadBeforeWrite(Database db) {
    }

    /** Holds off other writers of {@code table} until this transaction ends; reads go on. */
    void lockAgainstWriters(Statement st, String table) throws SQLException;

    /** Makes deleted content unrecoverable where the database needs a setting for it (before the delete). */
    default void secureDelete(Database db) throws SQLException {
    }

    /** Gives the space of deleted rows back; outside a transaction. Returns what was done, in words. */
    String reclaim(Statement st, String table) throws SQLException;

    /**
     * Like {@link #reclaim}, for a table a live writer keeps using (a retention policy): never a lock that
     * holds writers off for the length of a table rewrite where the database has a lighter way.
     */
    default String reclaimBesideWriters(Statement st, String table) throws SQLException {
        return reclaim(st, table);
    }

    /** How a dry run keeps writes from the database, in words (SQLite: a copy of the file; PostgreSQL: a rollback). */
    String dryRunNote();

    /** An UPDATE that removes the JSON key at {@code path} from {@code column} in every row that has it. */
    String removeJsonKey(String table, Column column, List<String> path);
}
