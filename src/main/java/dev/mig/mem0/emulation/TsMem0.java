package dev.mig.mem0.emulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The TypeScript SDK's OSS storage (MEM0.md section 2 and 3): memory_history through its SQLite
 * history manager, and payloads of SDK v2 (camelCase ids) or v3 (snake_case ids). Events as the SDK
 * writes them; the real SDK (npm mem0ai) is used where it can be installed, this where it cannot.
 */
public final class TsMem0 {
    public static final String DDL = "CREATE TABLE IF NOT EXISTS memory_history (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "memory_id TEXT NOT NULL, previous_value TEXT, new_value TEXT, action TEXT NOT NULL, created_at TEXT, "
            + "updated_at TEXT, is_deleted INTEGER DEFAULT 0)";

    private final Connection db;
    private final Payloads store;
    private final int major;
    private final Random random;
    private Instant now = Instant.parse("2025-03-01T10:00:00Z");

    public TsMem0(Connection db, Payloads store, int major, long seed) throws SQLException {
        this.db = db;
        this.store = store;
        this.major = major;
        this.random = new Random(seed);
        try (Statement s = db.createStatement()) {
            s.execute(DDL);
        }
    }

    /** {@code events} random adds, updates and deletes for two users. */
    public TsMem0 run(int events) throws SQLException {
        for (int i = 0; i < events; i++) {
            now = now.plusMillis(1 + random.nextInt(3_600_000));
            List<String> ids = store.ids();
            int roll = random.nextInt(100);
            if (ids.isEmpty() || roll < 50) {
                add("TS memory " + i + (i % 7 == 0 ? " \uD83E\uDD16" : ""), random.nextInt(2) == 0 ? "alice" : "bob");
            } else if (roll < 85) {
                update(ids.get(random.nextInt(ids.size())), "TS memory " + i + " (updated)");
            } else {
                delete(ids.get(random.nextInt(ids.size())));
            }
        }
        return this;
    }

    public String add(String text, String user) throws SQLException {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        ObjectNode p = Payloads.object();
        p.put(major >= 3 ? "user_id" : "userId", user);
        if (random.nextInt(4) == 0) {
            p.put(major >= 3 ? "agent_id" : "agentId", "travel-agent");
        }
        p.put("data", text);
        p.put("hash", PyMem0.md5(text));
        p.put("createdAt", PyTime.js(now));
        store.put(id, p);
        history(id, null, text, "ADD", PyTime.js(now), null, 0);
        return id;
    }

    public void update(String id, String text) throws SQLException {
        ObjectNode old = store.get(id);
        ObjectNode p = old.deepCopy();
        String previous = old.get("data").asText();
        p.put("data", text);
        p.put("hash", PyMem0.md5(text));
        p.put("updatedAt", PyTime.js(now));
        store.put(id, p);
        JsonNode created = old.get("createdAt");
        history(id, previous, text, "UPDATE", created == null ? null : created.asText(), PyTime.js(now), 0);
    }

    public void delete(String id) throws SQLException {
        String previous = store.get(id).get("data").asText();
        store.remove(id);
        history(id, previous, null, "DELETE", null, null, 1);
    }

    private void history(String memoryId, String previous, String value, String action, String created, String updated,
            int deleted) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO memory_history (memory_id, previous_value, new_value, action, "
                + "created_at, updated_at, is_deleted) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, memoryId);
            ps.setString(2, previous);
            ps.setString(3, value);
            ps.setString(4, action);
            ps.setString(5, created);
            ps.setString(6, updated);
            ps.setInt(7, deleted);
            ps.executeUpdate();
        }
    }
}
