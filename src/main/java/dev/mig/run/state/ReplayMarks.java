package dev.mig.run.state;

import dev.mig.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * mig_replayed, beside mig_queue on the queue's connection: the last queued write a replay of
 * source -> target applied, so a replay run again (or after a crash) goes on after it.
 */
public final class ReplayMarks {
    private ReplayMarks() {
    }

    public static void ensure(Database db) throws SQLException {
        try (Statement s = db.connection().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mig_replayed (source TEXT NOT NULL, target TEXT NOT NULL, seq BIGINT NOT NULL, "
                    + "PRIMARY KEY (source, target))");
        }
    }

    public static long last(Database db, String source, String target) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "SELECT seq FROM mig_replayed WHERE source = ? AND target = ?")) {
            ps.setString(1, source);
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    public static void mark(Database db, String source, String target, long seq) throws SQLException {
        try (PreparedStatement del = db.connection().prepareStatement("DELETE FROM mig_replayed WHERE source = ? AND target = ?")) {
            del.setString(1, source);
            del.setString(2, target);
            del.executeUpdate();
        }
        try (PreparedStatement ps = db.connection().prepareStatement(
                "INSERT INTO mig_replayed (source, target, seq) VALUES (?, ?, ?)")) {
            ps.setString(1, source);
            ps.setString(2, target);
            ps.setLong(3, seq);
            ps.executeUpdate();
        }
    }
}
