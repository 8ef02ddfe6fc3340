package dev.mig.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes rows to a table in batches: upsert by a unique key, update in place, or (no unique key)
 * update-else-insert. A batch the database refuses is rolled back to a savepoint and retried row
 * by row, so only the rows the database rejects are rejected, each with its reason.
 */
public final class RowWriter implements BatchWriter {
    public enum Mode { UPSERT, UPDATE, UPDATE_ELSE_INSERT, INSERT }

    /** Receives a row the database refused. */
    public interface Rejects {
        void reject(Map<String, Object> row, String reason);
    }

    private final Database db;
    private final TableInfo table;
    private final List<Column> columns;
    private final List<Column> keyColumns;
    private final Mode mode;
    private final Rejects rejects;
    private final List<Map<String, Object>> pending = new ArrayList<>();
    private final String upsertSql;
    private final String updateSql;
    private final String insertSql;
    private long written;
    private boolean retryWhenBusy;

    /**
     * Lets flush roll the whole transaction back and try again when the database is busy. Only for
     * callers whose transaction holds nothing but this writer's batch (a map page).
     */
    public RowWriter retryWhenBusy() {
        this.retryWhenBusy = true;
        return this;
    }

    public RowWriter(Database db, TableInfo table, List<String> columnNames, List<String> key, Mode mode, Rejects rejects) {
        this.db = db;
        this.table = table;
        this.mode = mode;
        this.rejects = rejects;
        this.columns = columnNames.stream().map(table::column).toList();
        this.keyColumns = key.stream().map(table::column).toList();
        Dialect d = db.dialect();
        this.upsertSql = mode == Mode.UPSERT ? d.upsert(table.name(), columns, key) : null;
        List<Column> setColumns = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        StringBuilder update = new StringBuilder("UPDATE ").append(d.table(table.name())).append(" SET ");
        for (int i = 0; i < setColumns.size(); i++) {
            update.append(i > 0 ? ", " : "").append(d.quote(setColumns.get(i).name())).append(" = ")
                    .append(d.placeholder(setColumns.get(i)));
        }
        update.append(" WHERE ");
        for (int i = 0; i < keyColumns.size(); i++) {
            update.append(i > 0 ? " AND " : "").append(d.quote(keyColumns.get(i).name())).append(" = ")
                    .append(d.placeholder(keyColumns.get(i)));
        }
        this.updateSql = setColumns.isEmpty() ? null : update.toString();
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(d.table(table.name())).append(" (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            insert.append(i > 0 ? ", " : "").append(d.quote(columns.get(i).name()));
            values.append(i > 0 ? ", " : "").append(d.placeholder(columns.get(i)));
        }
        this.insertSql = insert.append(") VALUES (").append(values).append(")").toString();
    }

    public List<Column> columns() {
        return columns;
    }

    public List<Column> keyColumns() {
        return keyColumns;
    }

    public Mode mode() {
        return mode;
    }

    public Database database() {
        return db;
    }

    Rejects rejects() {
        return rejects;
    }

    boolean retriesWhenBusy() {
        return retryWhenBusy;
    }

    @Override
    public void add(Map<String, Object> row) throws SQLException {
        pending.add(row);
    }

    @Override
    public int pending() {
        return pending.size();
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public long flush() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return flushOnce();
            } catch (SQLException e) {
                if (!retryWhenBusy || !isTransient(e) || attempt >= 60) {
                    throw e;
                }
                db.connection().rollback(); // releases this connection's locks so the other writer can finish
                try {
                    Thread.sleep(Math.min(1000, 20L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private long flushOnce() throws SQLException {
        if (pending.isEmpty()) {
            return 0;
        }
        Connection c = db.connection();
        Savepoint savepoint = c.setSavepoint();
        long before = written;
        try {
            if (mode == Mode.UPDATE_ELSE_INSERT) {
                for (Map<String, Object> row : pending) {
                    writeOne(row);
                }
            } else {
                String sql = switch (mode) {
                    case UPSERT -> upsertSql;
                    case INSERT -> insertSql;
                    default -> updateSql;
                };
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (Map<String, Object> row : pending) {
                        bindRow(ps, row, mode != Mode.UPDATE);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                written += pending.size();
            }
            c.releaseSavepoint(savepoint);
        } catch (SQLException batchFailed) {
            c.rollback(savepoint);
            if (isTransient(batchFailed)) {
                written = before;
                throw batchFailed;
            }
            written = before;
            for (Map<String, Object> row : pending) {
                Savepoint one = c.setSavepoint();
                try {
                    writeOne(row);
                    c.releaseSavepoint(one);
                } catch (SQLException rowFailed) {
                    c.rollback(one);
                    if (isTransient(rowFailed)) {
                        throw rowFailed; // a lock or a lost connection is no fault of the row: the statement fails
                    }
                    rejects.reject(row, "the database refused the row: " + db.error("", rowFailed).getMessage().substring(2));
                }
            }
        }
        pending.clear();
        return written - before;
    }

    /**
     * Errors that say nothing about the row: locks, deadlocks, serialization failures, lost
     * connections, resource limits. They fail the statement (which can be run again), never reject rows.
     */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("40") || state.startsWith("08") || state.startsWith("53") || state.startsWith("57")) {
            return true;
        }
        return DatabaseException.isTransient(e); // SQLite BUSY / LOCKED by result code
    }

    private void writeOne(Map<String, Object> row) throws SQLException {
        Connection c = db.connection();
        if (mode == Mode.UPSERT || mode == Mode.INSERT) {
            try (PreparedStatement ps = c.prepareStatement(mode == Mode.UPSERT ? upsertSql : insertSql)) {
                bindRow(ps, row, true);
                ps.executeUpdate();
            }
            written++;
            return;
        }
        int updated = 0;
        if (updateSql != null) {
            try (PreparedStatement ps = c.prepareStatement(updateSql)) {
                bindRow(ps, row, false);
                updated = ps.executeUpdate();
            }
        }
        if (updated == 0 && mode == Mode.UPDATE_ELSE_INSERT) {
            try (PreparedStatement ps = c.prepareStatement(insertSql)) {
                bindRow(ps, row, true);
                ps.executeUpdate();
            }
        } else if (updated == 0 && mode == Mode.UPDATE) {
            throw new SQLException("no row with this key to update");
        }
        written++;
    }

    /** Binds all columns in order (insert form), or SET columns then key columns (update form). */
    private void bindRow(PreparedStatement ps, Map<String, Object> row, boolean insertForm) throws SQLException {
        Dialect d = db.dialect();
        int i = 1;
        if (insertForm) {
            for (Column column : columns) {
                d.bind(ps, i++, row.get(column.name()), column);
            }
            return;
        }
        for (Column column : columns) {
            if (!keyColumns.contains(column)) {
                d.bind(ps, i++, row.get(column.name()), column);
            }
        }
        for (Column column : keyColumns) {
            d.bind(ps, i++, row.get(column.name()), column);
        }
    }

    /** Deletes the rows with these key values; returns how many were deleted. */
    public static long deleteByKey(Database db, TableInfo table, List<String> key, List<List<Object>> keys) throws SQLException {
        if (keys.isEmpty()) {
            return 0;
        }
        Dialect d = db.dialect();
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(d.table(table.name())).append(" WHERE ");
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            Column c = key.get(i).equals("rowid") ? null : table.column(key.get(i));
            columns.add(c);
            sql.append(i > 0 ? " AND " : "").append(c == null ? "rowid" : d.quote(c.name())).append(" = ")
                    .append(c == null ? "?" : d.placeholder(c));
        }
        long deleted = 0;
        try (PreparedStatement ps = db.connection().prepareStatement(sql.toString())) {
            for (List<Object> values : keys) {
                for (int i = 0; i < values.size(); i++) {
                    d.bind(ps, i + 1, values.get(i), columns.get(i));
                }
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                deleted += Math.max(n, 0);
            }
        }
        return deleted;
    }

    public TableInfo table() {
        return table;
    }
}
