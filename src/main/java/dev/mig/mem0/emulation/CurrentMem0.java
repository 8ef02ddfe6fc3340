package dev.mig.mem0.emulation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Current mem0's history storage (SQLiteManager of Python 2.0.x, line by line): what it does to a
 * file when it opens it, how get_history orders, how add_history writes. Tests read mig's results
 * through it; the demo uses it to show what mem0's own upgrade would lose.
 */
public final class CurrentMem0 {
    private CurrentMem0() {
    }

    /** True when opening the file would rebuild history (its column names are not exactly G2's). */
    public static boolean wouldRebuild(Connection db) throws SQLException {
        Set<String> columns = PyMem0.columns(db, "history");
        return !columns.isEmpty() && !columns.equals(PyMem0.G2);
    }

    /** SQLiteManager.__init__: the start-up migration and table creation, as current mem0 runs them. */
    public static void open(Connection db) throws SQLException {
        PyMem0.startCurrent(db);
    }

    /** SQLiteManager.get_history: rows of one memory in mem0's order (created_at as text, NULLs first). */
    public static List<Map<String, Object>> getHistory(Connection db, String memoryId) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, memory_id, old_memory, new_memory, event, created_at, "
                + "updated_at, is_deleted, actor_id, role FROM history WHERE memory_id = ? "
                + "ORDER BY created_at ASC, DATETIME(updated_at) ASC")) {
            ps.setString(1, memoryId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (String column : List.of("id", "memory_id", "old_memory", "new_memory", "event", "created_at", "updated_at",
                            "is_deleted", "actor_id", "role")) {
                        row.put(column, rs.getObject(column));
                    }
                    row.put("is_deleted", rs.getObject("is_deleted") != null && rs.getLong("is_deleted") != 0);
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** SQLiteManager.add_history: one row in its own transaction. */
    public static void addHistory(Connection db, String id, String memoryId, String oldMemory, String newMemory, String event,
            String createdAt, String updatedAt, int isDeleted) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO history (id, memory_id, old_memory, new_memory, event, "
                + "created_at, updated_at, is_deleted, actor_id, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Object[] values = {id, memoryId, oldMemory, newMemory, event, createdAt, updatedAt, isDeleted, null, null};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
        if (!db.getAutoCommit()) {
            db.commit();
        }
    }
}
