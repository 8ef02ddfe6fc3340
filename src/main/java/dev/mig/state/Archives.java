package dev.mig.state;

import dev.mig.db.Database;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * mig_archives, on the state connection: every file or table a selective archive (a retention policy) or a
 * rewrite of a backup left, so that later runs can find what still holds a person's rows. Whole-table
 * backups stay in mig_backups (rollback restores those; never these).
 */
public final class Archives {
    /** One archive: where (a file path or conn.table), of which table, how many rows, their digest. */
    public record Entry(String version, String script, String conn, String table, String location, long rows, String digest,
                        String createdAt) {
        public boolean isFile() {
            return !location.startsWith("table:");
        }
    }

    private static final StateTable TABLE = new StateTable("mig_archives", "version TEXT, script TEXT, conn TEXT, table_name TEXT, "
            + "location TEXT, row_count BIGINT, digest TEXT, created_at TEXT");

    private Archives() {
    }

    public static void record(Database state, Entry entry) {
        try {
            TABLE.create(state);
            state.commit(); // the INSERT starts a transaction with a write (see SeenRegistry.flush)
            TABLE.insert(state, entry.version(), entry.script(), entry.conn(), entry.table(), entry.location(), entry.rows(),
                    entry.digest(), entry.createdAt());
            state.schemaChanged();
        } catch (SQLException e) {
            throw state.error("cannot write mig_archives on '" + state.name() + "'", e);
        }
    }

    /** After an archive file was rewritten without some rows. */
    public static void rewritten(Database state, String location, long rows, String digest) {
        if (!TABLE.exists(state)) {
            return;
        }
        try (PreparedStatement ps = state.connection().prepareStatement(
                "UPDATE mig_archives SET row_count = ?, digest = ? WHERE location = ?")) {
            ps.setLong(1, rows);
            ps.setString(2, digest);
            ps.setString(3, location);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw state.error("cannot update mig_archives on '" + state.name() + "'", e);
        }
    }

    /** Every archive recorded, oldest first. */
    public static List<Entry> all(Database state) {
        try {
            return TABLE.select(state, "version, script, conn, table_name, location, row_count, digest, created_at",
                    "ORDER BY created_at, location", rs -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8)));
        } catch (SQLException e) {
            throw state.error("cannot read mig_archives on '" + state.name() + "'", e);
        }
    }
}
