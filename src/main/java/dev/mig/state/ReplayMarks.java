package dev.mig.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * mig_replayed, beside mig_queue on the queue's connection: the last queued write a replay of
 * source -> target applied, so a replay run again (or after a crash) goes on after it.
 */
public final class ReplayMarks {
    private static final StateTable TABLE = new StateTable("mig_replayed", "source TEXT NOT NULL, target TEXT NOT NULL, "
            + "seq BIGINT NOT NULL, PRIMARY KEY (source, target)");

    private ReplayMarks() {
    }

    public static void ensure(Database db) throws SQLException {
        TABLE.create(db);
    }

    public static long last(Database db, String source, String target) throws SQLException {
        List<Long> seq = TABLE.select(db, "seq", "WHERE source = ? AND target = ?", rs -> rs.getLong(1), source, target);
        return seq.isEmpty() ? 0 : seq.get(0);
    }

    /** In the caller's transaction (the replay commits its rows and this mark together). */
    public static void mark(Database db, String source, String target, long seq) throws SQLException {
        TABLE.delete(db, "WHERE source = ? AND target = ?", source, target);
        TABLE.insert(db, source, target, seq);
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
        long last = last(db, source, target);
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
