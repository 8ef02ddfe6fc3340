package dev.mig.run.state;

import dev.mig.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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

    private Archives() {
    }

    private static void ensure(Database state) throws SQLException {
        try (Statement s = state.connection().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mig_archives (version TEXT, script TEXT, conn TEXT, table_name TEXT, "
                    + "location TEXT, row_count BIGINT, digest TEXT, created_at TEXT)");
        }
    }

    public static void record(Database state, Entry entry) {
        try {
            ensure(state);
            state.commit(); // the INSERT starts a transaction with a write (see SeenRegistry.flush)
            try (PreparedStatement ps = state.connection().prepareStatement("INSERT INTO mig_archives (version, script, conn, "
                    + "table_name, location, row_count, digest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, entry.version());
                ps.setString(2, entry.script());
                ps.setString(3, entry.conn());
                ps.setString(4, entry.table());
                ps.setString(5, entry.location());
                ps.setLong(6, entry.rows());
                ps.setString(7, entry.digest());
                ps.setString(8, entry.createdAt());
                ps.executeUpdate();
            }
            state.schemaChanged();
        } catch (SQLException e) {
            throw state.error("cannot write mig_archives on '" + state.name() + "'", e);
        }
    }

    /** After an archive file was rewritten without some rows. */
    public static void rewritten(Database state, String location, long rows, String digest) {
        if (state.describe("mig_archives") == null) {
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
        List<Entry> out = new ArrayList<>();
        if (state.describe("mig_archives") == null) {
            return out;
        }
        try (Statement s = state.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT version, script, conn, table_name, location, row_count, digest, created_at "
                     + "FROM mig_archives ORDER BY created_at, location")) {
            while (rs.next()) {
                out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                        rs.getString(7), rs.getString(8)));
            }
        } catch (SQLException e) {
            throw state.error("cannot read mig_archives on '" + state.name() + "'", e);
        }
        return out;
    }
}
