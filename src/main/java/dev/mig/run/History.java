package dev.mig.run;

import dev.mig.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The mig_history table on the state connection: which versions ran, with which script text. */
public final class History {
    /** One recorded version; null fields when absent. */
    public record Entry(String version, String description, String script, String sha256, String appliedAt,
                        long durationMs, boolean success) {
    }

    private History() {
    }

    static void ensure(Database db) throws SQLException {
        try (Statement s = db.connection().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mig_history (version TEXT PRIMARY KEY, description TEXT, script TEXT, "
                    + "sha256 TEXT, applied_at TEXT, duration_ms BIGINT, success INTEGER)");
        }
    }

    /** The entry for a version, or null (also when the table does not exist yet). */
    public static Entry find(Database db, String version) {
        try {
            if (db.describe("mig_history") == null) {
                return null;
            }
            String sql = "SELECT version, description, script, sha256, applied_at, duration_ms, success FROM mig_history "
                    + "WHERE version = ?";
            try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
                ps.setString(1, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getInt(7) == 1);
                }
            } finally {
                db.commit();
            }
        } catch (SQLException e) {
            throw db.error("cannot read mig_history on '" + db.name() + "'", e);
        }
    }

    static void record(Database db, Entry entry) {
        try {
            ensure(db);
            try (PreparedStatement delete = db.connection().prepareStatement("DELETE FROM mig_history WHERE version = ?")) {
                delete.setString(1, entry.version());
                delete.executeUpdate();
            }
            String sql = "INSERT INTO mig_history (version, description, script, sha256, applied_at, duration_ms, success) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
                ps.setString(1, entry.version());
                ps.setString(2, entry.description());
                ps.setString(3, entry.script());
                ps.setString(4, entry.sha256());
                ps.setString(5, entry.appliedAt());
                ps.setLong(6, entry.durationMs());
                ps.setInt(7, entry.success() ? 1 : 0);
                ps.executeUpdate();
            }
            db.schemaChanged();
            db.commit();
        } catch (SQLException e) {
            throw db.error("cannot write mig_history on '" + db.name() + "'", e);
        }
    }
}
