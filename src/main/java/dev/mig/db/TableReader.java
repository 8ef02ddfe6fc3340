package dev.mig.db;

import dev.mig.data.FixedRow;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.db.internal.PagedCursor;
import dev.mig.db.internal.QueryCursor;
import dev.mig.db.internal.Sqlite;
import dev.mig.db.internal.StorageOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Streams a table's rows without holding them in memory, in one of two ways: pages by key (each
 * page a short query, so the writer may commit between pages and a run can resume after the last
 * key), or one ordered query in code point order (for merging two tables key by key).
 */
public final class TableReader {
    public interface RowHandler {
        void row(Row row) throws SQLException;
    }

    private final Database db;
    private final TableInfo table;
    private final Map<String, LogicalType> types;
    private final FixedRow.Names names;
    private final boolean forDigest;
    /** The select list's last item ({@link Dialect#textBits}), "" where there is none; null until first asked. */
    private String textBits;

    public TableReader(Database db, TableInfo table) {
        this(db, table, false);
    }

    private TableReader(Database db, TableInfo table, boolean forDigest) {
        this.db = db;
        this.table = table;
        this.types = table.types();
        this.names = new FixedRow.Names(table.columns().stream().map(Column::name).toList());
        this.forDigest = forDigest;
    }

    /** A reader whose rows only a digest reads (no map): values as {@link Dialect#readForDigest} gives them. */
    public static TableReader forDigest(Database db, TableInfo table) {
        return new TableReader(db, table, true);
    }

    /** The columns pages are ordered by: the primary key, else SQLite's rowid; empty when neither. */
    public List<String> pageKey() {
        List<String> pk = table.primaryKey();
        if (!pk.isEmpty()) {
            return pk;
        }
        return db.dialect() instanceof Sqlite ? List.of("rowid") : List.of();
    }

    /**
     * Calls the handler for each row, {@code pageSize} rows a query, in key order, starting after
     * {@code after} (the key values of the last row done, or null). The handler's {@code endOfPage}
     * hook runs after each page with the last key, e.g. to commit.
     */
    public long pages(int pageSize, List<Object> after, RowHandler handler, PageEnd endOfPage) throws SQLException {
        return pages(pageSize, after, null, null, handler, endOfPage);
    }

    /**
     * Like {@link #pages(int, List, RowHandler, PageEnd)}, within the key range (after, upTo]
     * (either end open when null) and only rows meeting {@code condition} (SQL, or null).
     */
    public long pages(int pageSize, List<Object> after, List<Object> upTo, String condition, RowHandler handler,
                      PageEnd endOfPage) throws SQLException {
        return pages(pageKey(), pageSize, after, upTo, condition, handler, endOfPage);
    }

    /**
     * Like {@link #pages(int, List, List, String, RowHandler, PageEnd)}, ordered by {@code key}: columns that are
     * unique together and never null in the rows the condition lets through (e.g. a group column, then the
     * primary key, with "group IS NOT NULL").
     */
    public long pages(List<String> key, int pageSize, List<Object> after, List<Object> upTo, String condition, RowHandler handler,
                      PageEnd endOfPage) throws SQLException {
        if (key.isEmpty()) {
            long n = ordered(List.of(), handler, pageSize);
            endOfPage.done(null);
            return n;
        }
        Dialect d = db.dialect();
        boolean rowid = key.equals(List.of("rowid"));
        String columns = selectList() + (rowid ? ", rowid AS \"mig$rowid\"" : "");
        String keyTuple = "(" + String.join(", ", key.stream().map(d::quote).toList()) + ")";
        // typed placeholders: PostgreSQL compares a uuid key with a uuid, not with text
        String params = "(" + String.join(", ", key.stream().map(k -> rowid ? "?" : d.placeholder(table.column(k))).toList()) + ")";
        String base = "SELECT " + columns + " FROM " + d.table(table.name());
        String order = " ORDER BY " + String.join(", ", key.stream().map(d::quote).toList()) + " LIMIT " + pageSize;
        long total = 0;
        List<Object> last = after;
        while (true) {
            List<String> where = new ArrayList<>();
            if (last != null) {
                where.add(keyTuple + " > " + params);
            }
            if (upTo != null) {
                where.add(keyTuple + " <= " + params);
            }
            if (condition != null) {
                where.add("(" + condition + ")");
            }
            String sql = base + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + order;
            int count = 0;
            List<Object> lastOfPage = null;
            try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
                int p = 1;
                for (List<Object> bound : Arrays.asList(last, upTo)) {
                    if (bound != null) {
                        for (int i = 0; i < bound.size(); i++) {
                            Column column = rowid ? null : table.column(key.get(i));
                            d.bind(ps, p++, bound.get(i), column);
                        }
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row row = row(rs);
                        lastOfPage = new ArrayList<>();
                        for (String k : key) {
                            lastOfPage.add(rowid ? rs.getLong("mig$rowid") : row.get(k));
                        }
                        handler.row(row);
                        count++;
                    }
                }
            }
            total += count;
            if (count > 0) {
                last = lastOfPage;
                endOfPage.done(last);
            }
            if (count < pageSize) {
                if (count == 0) {
                    endOfPage.done(last);
                }
                return total;
            }
        }
    }

    /** What to do after each page: commit, record progress. */
    public interface PageEnd {
        void done(List<Object> lastKey) throws SQLException;
    }

    /**
     * Every row, for a whole-table read such as a backup: in one query, or - where a long read would hold
     * applications' commits off (SQLite rollback journal) and the table has a key - in pages of
     * {@code pageSize} rows in key order, each read in its own short transaction. Rows written meanwhile
     * may or may not be seen; callers pair it with the write queue (freeze) taken before.
     */
    public long everyRow(RowHandler handler, int pageSize) throws SQLException {
        return everyRow(List.of(), handler, pageSize);
    }

    /** {@link #everyRow(RowHandler, int)} in {@code orderBy} order when read in one query (pages come in key order). */
    public long everyRow(List<String> orderBy, RowHandler handler, int pageSize) throws SQLException {
        if (db.dryRun() || !db.dialect().readersBlockWriters(db) || pageKey().isEmpty()) {
            return ordered(orderBy, handler, pageSize);
        }
        db.commit(); // the pages start with no transaction open
        return pages(pageSize, null, handler, lastKey -> db.commit());
    }

    /** Every row ordered by the given columns in code point order (empty: any order), streamed. */
    public long ordered(List<String> orderBy, RowHandler handler, int fetchSize) throws SQLException {
        Connection c = db.connection();
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement(orderedSql(orderBy), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(fetchSize); // PostgreSQL streams with a cursor when autocommit is off
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(row(rs));
                    n++;
                }
            }
        }
        return n;
    }

    /** Every row meeting a SQL condition, in any order, streamed. */
    public long where(String condition, RowHandler handler, int fetchSize) throws SQLException {
        long n = 0;
        String sql = "SELECT " + selectList() + " FROM " + db.dialect().table(table.name()) + " WHERE " + condition;
        try (PreparedStatement ps = db.connection().prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(fetchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(row(rs));
                    n++;
                }
            }
        }
        return n;
    }

    /** A pull cursor: next() until it returns null, then close(). */
    public interface Cursor extends AutoCloseable {
        Row next() throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /**
     * A cursor in key order that does not hold other connections' commits off: where a long read would
     * (SQLite rollback journal) it reads pages of {@code pageSize} rows by key on a connection of its own,
     * each page its own short transaction; elsewhere one query on this connection. Rows written meanwhile
     * may or may not be seen (a checksum tells queued writes apart).
     */
    public Cursor openShort(List<String> orderBy, int pageSize) throws SQLException {
        if (db.dryRun() || !db.dialect().readersBlockWriters(db) || pageKey().isEmpty() || !orderBy.equals(pageKey())) {
            return open(orderBy, pageSize); // a dry run reads its own copy, on this connection
        }
        return new PagedCursor(db.anotherReader(), table, pageSize);
    }

    /**
     * Every row in the order the table is stored, for reads that do not need key order (a digest): no
     * index lookups per row (see {@link StorageOrder}).
     */
    public Cursor openInStorageOrder(int pageSize, int fetchSize) throws SQLException {
        String position = db.dialect().storageOrderColumn(db, table);
        if (position == null) {
            String sql = "SELECT " + selectList() + " FROM " + db.dialect().table(table.name());
            PreparedStatement ps = db.connection().prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(fetchSize);
            return new QueryCursor(this, ps, ps.executeQuery());
        }
        return new StorageOrder(db, table, this, position, selectList(), pageSize);
    }

    /** Opens every row ordered by the given columns in code point order, streamed. */
    public Cursor open(List<String> orderBy, int fetchSize) throws SQLException {
        return open(orderBy, List.of(), fetchSize);
    }

    /**
     * Like {@link #open(List, int)}, but the columns listed in {@code asText} are ordered as text
     * (a source key compared with a text key of another table must sort the same way).
     */
    public Cursor open(List<String> orderBy, List<String> asText, int fetchSize) throws SQLException {
        String sql = orderedSql(orderBy);
        if (!asText.isEmpty()) {
            Dialect d = db.dialect();
            List<String> parts = new ArrayList<>();
            for (String name : orderBy) {
                Column c = table.column(name);
                parts.add(asText.contains(name) ? d.orderKeyAsText(c) : d.orderKey(c));
            }
            sql = "SELECT " + selectList() + " FROM " + d.table(table.name()) + " ORDER BY " + String.join(", ", parts);
        }
        PreparedStatement ps = db.connection().prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        ps.setFetchSize(fetchSize);
        return new QueryCursor(this, ps, ps.executeQuery());
    }

    /** The rows with any of the given keys (values of the key columns, in order), a few hundred a query. */
    public void byKeys(List<String> key, List<List<Object>> keys, RowHandler handler) throws SQLException {
        Dialect d = db.dialect();
        String tuple = "(" + String.join(", ", key.stream().map(k -> d.quote(table.column(k).name())).toList()) + ")";
        String one = "(" + String.join(", ", key.stream().map(k -> d.placeholder(table.column(k))).toList()) + ")";
        int group = 500;
        for (int from = 0; from < keys.size(); from += group) {
            List<List<Object>> part = keys.subList(from, Math.min(keys.size(), from + group));
            String sql = "SELECT " + selectList() + " FROM " + d.table(table.name()) + " WHERE " + tuple + " IN ("
                    + String.join(", ", Collections.nCopies(part.size(), one)) + ")";
            try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
                int p = 1;
                for (List<Object> values : part) {
                    for (int i = 0; i < key.size(); i++) {
                        d.bind(ps, p++, values.get(i), table.column(key.get(i)));
                    }
                }
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
                for (Row row : rows) {
                    handler.row(row);
                }
            }
        }
    }

    /** The rows whose key columns equal the given values (for sampling). */
    public List<Row> byKey(List<String> key, List<Object> values) throws SQLException {
        Dialect d = db.dialect();
        StringBuilder sql = new StringBuilder("SELECT ").append(selectList()).append(" FROM ").append(d.table(table.name()))
                .append(" WHERE ");
        for (int i = 0; i < key.size(); i++) {
            Column c = table.column(key.get(i));
            sql.append(i > 0 ? " AND " : "").append(d.quote(c.name())).append(" = ").append(d.placeholder(c));
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < key.size(); i++) {
                d.bind(ps, i + 1, values.get(i), table.column(key.get(i)));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    private String orderedSql(List<String> orderBy) throws SQLException {
        Dialect d = db.dialect();
        StringBuilder sql = new StringBuilder("SELECT ").append(selectList()).append(" FROM ").append(d.table(table.name()));
        if (!orderBy.isEmpty()) {
            sql.append(" ORDER BY ");
            for (int i = 0; i < orderBy.size(); i++) {
                Column c = table.column(orderBy.get(i));
                sql.append(i > 0 ? ", " : "").append(c == null ? d.quote(orderBy.get(i)) : d.orderKey(c));
            }
        }
        return sql.toString();
    }

    /** The table's columns, then (where the dialect has one) the item that tells which values are text. */
    private String selectList() throws SQLException {
        if (textBits == null) {
            String bits = db.dialect().textBits(db, table.columns());
            textBits = bits == null ? "" : ", " + bits;
        }
        return String.join(", ", table.columns().stream().map(c -> db.dialect().quote(c.name())).toList()) + textBits;
    }

    public Row row(ResultSet rs) throws SQLException {
        FixedRow values = new FixedRow(names);
        List<Column> columns = table.columns();
        Dialect d = db.dialect();
        if (textBits == null) {
            selectList(); // a reader reading rows another reader's select list asked for (StorageOrder's own connection)
        }
        long text = textBits.isEmpty() ? 0 : rs.getLong(columns.size() + 1);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            values.set(i, (text >>> i & 1) != 0 ? d.readText(rs, i + 1, c) : forDigest ? d.readForDigest(rs, i + 1, c) : d.read(rs, i + 1, c));
        }
        return new Row(values, types);
    }
}
