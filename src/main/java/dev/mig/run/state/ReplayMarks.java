package dev.mig.run.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The keys (values of {@code keyColumns}, as text) of the writes queued for {@code table} after the last
     * position replayed from {@code source} into {@code target}: rows applications wrote while mig worked,
     * which the next replay carries. Both the new and the old key of an update. Empty when never frozen.
     */
    public static List<List<Object>> keysQueuedSince(Database db, String table, List<String> keyColumns, String source,
                                                     String target) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        if (db.describe("mig_queue") == null) {
            return out;
        }
        long last = db.describe("mig_replayed") == null ? 0 : last(db, source, target);
        Dialect d = db.dialect();
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT " + d.asText("key") + ", " + d.asText("old_key")
                + " FROM mig_queue WHERE table_name = ? AND seq > ?")) {
            ps.setString(1, table);
            ps.setLong(2, last);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= 2; i++) {
                        String json = rs.getString(i);
                        if (json != null) {
                            JsonNode key = Values.parseJson(json);
                            List<Object> values = new ArrayList<>();
                            for (String column : keyColumns) {
                                JsonNode v = key.get(column);
                                values.add(v == null || v.isNull() ? null : v.asText());
                            }
                            out.add(values);
                        }
                    }
                }
            }
        }
        return out;
    }
}
