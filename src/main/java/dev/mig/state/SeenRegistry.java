package dev.mig.state;

import dev.mig.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mig_seen, on the state connection: when a retention policy first saw a row (by table and key). mem0
 * writes some rows without a time of their own (DELETE events before 1.0.8, every TS DELETE): such a row
 * existed when mig first saw it, so the time since then is a lower bound of its age - a policy that uses it
 * never removes a row younger than its limit. Only keys and times are kept, never content.
 */
public final class SeenRegistry {
    private static final StateTable TABLE = new StateTable("mig_seen", "table_name TEXT NOT NULL, row_key TEXT NOT NULL, "
            + "first_seen TEXT NOT NULL, PRIMARY KEY (table_name, row_key)");
    private final Database state;
    private final String table;
    private final Instant now;
    private final boolean write;
    private final Map<String, Instant> pending = new LinkedHashMap<>();
    private PreparedStatement lookup;
    private long added;
    private boolean created;

    /** {@code write} false (a dry run): rows not seen before count as seen now, nothing is recorded. */
    /** How many rows of a table a policy has seen (mig_seen), 0 when none was ever recorded. */
    public static long count(Database state, String table) throws SQLException {
        List<Long> n = TABLE.select(state, "count(*)", "WHERE table_name = ?", rs -> rs.getLong(1), table);
        return n.isEmpty() ? 0 : n.get(0);
    }

    public SeenRegistry(Database state, String table, Instant now, boolean write) {
        this.state = state;
        this.table = table;
        this.now = now;
        this.write = write;
    }

    /** When the row with this key was first seen: now (recorded at the next flush) if never before. */
    public Instant firstSeen(String key) throws SQLException {
        Instant known = pending.get(key);
        if (known != null) {
            return known;
        }
        if (TABLE.exists(state)) {
            if (lookup == null) {
                lookup = state.connection().prepareStatement("SELECT first_seen FROM mig_seen WHERE table_name = ? AND row_key = ?");
            }
            lookup.setString(1, table);
            lookup.setString(2, key);
            try (ResultSet rs = lookup.executeQuery()) {
                if (rs.next()) {
                    return Instant.parse(rs.getString(1));
                }
            }
        }
        pending.put(key, now);
        return now;
    }

    /** Records the rows seen for the first time since the last flush (the caller commits). */
    public void flush() throws SQLException {
        if (pending.isEmpty() || !write) {
            pending.clear();
            return;
        }
        if (!created) {
            TABLE.create(state);
            // its own transaction: on an existing table the CREATE only reads, and on SQLite a transaction that read and
            // then writes fails at once (SQLITE_BUSY) beside a writer; the INSERT below starts a new one with a write
            state.commit();
            state.schemaChanged();
            created = true;
        }
        List<Object[]> rows = new ArrayList<>();
        pending.forEach((key, at) -> rows.add(new Object[] {table, key, at.toString()}));
        TABLE.insertAll(state, rows);
        added += pending.size();
        pending.clear();
    }

    /** Rows recorded as seen for the first time by this run. */
    public long added() {
        return added;
    }

    private void closeLookup() throws SQLException {
        if (lookup != null) {
            lookup.close();
            lookup = null;
        }
    }

    public void close() {
        try {
            closeLookup();
        } catch (SQLException ignored) {
            // closing a statement of a connection the session closes anyway
        }
    }
}
