package dev.mig.mem0.emulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * One emulated Python mem0 process of a release: its start-up migration of the history table and
 * the values its add/update/delete wrote to history and to the payload (shared/MEM0.md sections 1
 * and 3, checked against mem0's storage.py and main.py of each range). Writes go through plain JDBC
 * on the history file, one transaction per operation as mem0's sqlite3 code does.
 */
public final class PyMem0 {
    /** The start-up or operation failed as it did in that release (the process died or raised). */
    public static final class Mem0Failure extends RuntimeException {
        Mem0Failure(String message) {
            super(message);
        }
    }

    static final Set<String> G0 = Set.of("id", "memory_id", "prev_value", "new_value", "event", "timestamp", "is_deleted");
    static final Set<String> G2 = Set.of("id", "memory_id", "old_memory", "new_memory", "event", "created_at", "updated_at",
            "is_deleted", "actor_id", "role");
    static final String G0_DDL = "CREATE TABLE IF NOT EXISTS history (id TEXT PRIMARY KEY, memory_id TEXT, prev_value TEXT, "
            + "new_value TEXT, event TEXT, timestamp DATETIME, is_deleted INTEGER)";
    static final String G1_DDL = "CREATE TABLE IF NOT EXISTS history (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, "
            + "new_memory TEXT, new_value TEXT, event TEXT, created_at DATETIME, updated_at DATETIME, is_deleted INTEGER)";
    static final String G2_DDL = "CREATE TABLE IF NOT EXISTS history (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, "
            + "new_memory TEXT, event TEXT, created_at DATETIME, updated_at DATETIME, is_deleted INTEGER, actor_id TEXT, role TEXT)";

    private final Connection db;
    private final Payloads store;
    private final PyRelease release;
    private final Supplier<Instant> clock;
    private final Supplier<String> ids;

    public PyMem0(Connection db, Payloads store, PyRelease release, Supplier<Instant> clock, Supplier<String> ids) {
        this.db = db;
        this.store = store;
        this.release = release;
        this.clock = clock;
        this.ids = ids;
    }

    public PyRelease release() {
        return release;
    }

    // ---- start-up ----

    /** What the release's SQLiteManager did when it was constructed. */
    public void start() throws SQLException {
        db.setAutoCommit(true);
        Set<String> columns = columns(db, "history");
        switch (release.generation()) {
            case 0 -> exec(G0_DDL);
            case 1 -> startG1(columns);
            default -> {
                if (release == PyRelease.V0_1_104) {
                    startHanging(columns);
                } else {
                    startCurrent(db);
                }
            }
        }
    }

    /**
     * 0.0.10 copied G0 into G1 on every start; 0.0.11 on only checks the columns first; 0.1.34 on compares
     * the whole schema with G1's. Python's sqlite3 runs the rename and the CREATE outside a transaction
     * (DDL), so a failed copy leaves them done.
     */
    private void startG1(Set<String> columns) throws SQLException {
        boolean migrate = release == PyRelease.V0_0_10 ? !columns.isEmpty()
                : release.atLeast(PyRelease.V0_1_34) ? !columns.isEmpty() && !schema(db, "history").equals(G1_SCHEMA)
                : columns.containsAll(Set.of("prev_value", "timestamp"));
        if (!migrate) {
            exec(G1_DDL);
            return;
        }
        exec("ALTER TABLE history RENAME TO old_history");
        exec(G1_DDL);
        try {
            exec("INSERT INTO history (id, memory_id, old_memory, new_memory, new_value, event, created_at, updated_at, is_deleted) "
                    + "SELECT id, memory_id, prev_value, new_value, new_value, event, timestamp, timestamp, is_deleted FROM old_history");
        } catch (SQLException e) {
            // the restart bug: the second start finds a G1 old_history and stops here, leaving it orphaned
            throw new Mem0Failure("mem0 " + release.version() + " failed to start: " + e.getMessage());
        }
        exec("DROP TABLE old_history");
    }

    /** 0.1.100 - 0.1.106: renamed history to history_old, then waited forever on a lock it held. */
    private void startHanging(Set<String> columns) throws SQLException {
        if (!columns.isEmpty() && !columns.equals(G2)) {
            exec("ALTER TABLE history RENAME TO history_old");
            throw new Mem0Failure("mem0 " + release.version() + " hung after renaming history to history_old (killed)");
        }
        exec(G2_DDL);
    }

    /** 0.1.107 - now: SQLiteManager._migrate_history_table, then CREATE TABLE IF NOT EXISTS. */
    static void startCurrent(Connection db) throws SQLException {
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            Set<String> old = columns(db, "history");
            if (!old.isEmpty() && !old.equals(G2)) {
                s.execute("DROP TABLE IF EXISTS history_old");
                s.execute("ALTER TABLE history RENAME TO history_old");
                s.execute(G2_DDL.replace("IF NOT EXISTS ", ""));
                Set<String> both = new HashSet<>(G2);
                both.retainAll(old);
                if (!both.isEmpty()) {
                    String csv = String.join(", ", both);
                    s.execute("INSERT INTO history (" + csv + ") SELECT " + csv + " FROM history_old");
                }
                s.execute("DROP TABLE history_old");
            }
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(auto);
        }
        try (Statement s = db.createStatement()) {
            s.execute(G2_DDL);
            s.execute("CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, session_scope TEXT, role TEXT, content TEXT, "
                    + "name TEXT, created_at DATETIME)");
        }
    }

    // ---- operations ----

    /** Memory.add of one fact; {@code infer} false is the 0.1.100+ path that records role and actor_id. */
    public String add(String text, Map<String, String> scope, Map<String, String> metadata, boolean infer) throws SQLException {
        Instant now = clock.get();
        String memoryId = UUID.randomUUID().toString();
        ObjectNode p = Payloads.object();
        p.put("data", text);
        metadata.forEach(p::put);
        scope.forEach(p::put);
        Object created;
        if (release.generation() == 0) {
            created = PyTime.epoch(now);
            p.put("created_at", (Long) created);
        } else {
            p.put("hash", md5(text));
            created = release.atLeast(PyRelease.V1_0_7) ? PyTime.utc(now) : PyTime.pacific(now);
            p.put("created_at", (String) created);
            if (release.atLeast(PyRelease.V1_0_9)) {
                p.put("updated_at", (String) created);
            }
        }
        boolean actor = !infer && release.atLeast(PyRelease.V0_1_104);
        if (actor) {
            p.put("role", "user");
            p.put("actor_id", scope.getOrDefault("user_id", "alice"));
        }
        if (release.atLeast(PyRelease.V2_0_0)) {
            p.put("text_lemmatized", text); // spaCy not installed: the raw text, as mem0 falls back to
            p.put("attributed_to", "user");
        }
        store.put(memoryId, p);
        switch (release.generation()) {
            case 0 -> insertG0(memoryId, null, text, "add", PyTime.naive(now), 0);
            case 1 -> insertG1(memoryId, null, text, "ADD", created, null, 0);
            default -> {
                boolean batch = infer && release.atLeast(PyRelease.V2_0_0);
                Object updated = !batch && release.atLeast(PyRelease.V1_0_9) ? created : null;
                insertG2(memoryId, null, text, "ADD", created, updated, 0, batch || !actor ? null : text(p, "actor_id"),
                        batch || !actor ? null : "user");
            }
        }
        return memoryId;
    }

    /** Memory.update; fails where the release could not update that memory. */
    public void update(String memoryId, String text) throws SQLException {
        ObjectNode old = store.get(memoryId);
        Instant now = clock.get();
        JsonNode createdNode = old.get("created_at");
        Object created = createdNode == null || createdNode.isNull() ? null
                : createdNode.isNumber() ? (Object) createdNode.longValue() : createdNode.asText();
        if (created instanceof Long && release.atLeast(PyRelease.V1_0_7) && !release.atLeast(PyRelease.V2_0_0)) {
            throw new Mem0Failure("mem0 " + release.version() + " cannot update " + memoryId + ": fromisoformat() of an integer");
        }
        String previous = text(old, "data");
        ObjectNode p = Payloads.object();
        p.put("data", text);
        if (release.generation() == 0) {
            p.put("updated_at", PyTime.epoch(now)); // created_at and the ids are gone
        } else {
            if (release == PyRelease.V0_0_10) {
                copy(old, p, "created_at"); // hash and ids dropped (until 2024-08-02)
            } else {
                for (String key : new String[] {"user_id", "agent_id", "run_id", "actor_id", "role", "created_at"}) {
                    copy(old, p, key);
                }
                if (release.atLeast(PyRelease.V0_1_30)) {
                    p.put("hash", md5(text));
                } else {
                    copy(old, p, "hash"); // stale: the hash of the text before the update
                }
            }
            p.put("updated_at", release.atLeast(PyRelease.V1_0_7) ? PyTime.utc(now) : PyTime.pacific(now));
            if (release.atLeast(PyRelease.V2_0_0)) {
                p.put("text_lemmatized", text);
            }
            if (release.atLeast(PyRelease.V2_0_10)) {
                old.fieldNames().forEachRemaining(k -> {
                    if (!p.has(k)) {
                        p.set(k, old.get(k)); // 2.0.7+: custom keys survive an update
                    }
                });
            }
        }
        store.put(memoryId, p);
        String updated = release.atLeast(PyRelease.V1_0_7) ? PyTime.utc(now) : PyTime.pacific(now);
        switch (release.generation()) {
            case 0 -> insertG0(memoryId, previous, text, "update", PyTime.naive(now), 0);
            case 1 -> insertG1(memoryId, previous, text, "UPDATE", created, updated, 0);
            default -> {
                Object historyCreated = created;
                if (release.atLeast(PyRelease.V1_0_7) && !release.atLeast(PyRelease.V2_0_0) && created instanceof String s
                        && PyTime.hasOffset(s)) {
                    historyCreated = PyTime.toUtc(s);
                }
                insertG2(memoryId, previous, text, "UPDATE", historyCreated, updated, 0, text(p, "actor_id"), text(p, "role"));
            }
        }
    }

    /** Memory.delete; fails where the release could not delete that memory. */
    public void delete(String memoryId) throws SQLException {
        ObjectNode old = store.get(memoryId);
        Instant now = clock.get();
        JsonNode createdNode = old.get("created_at");
        if (createdNode != null && createdNode.isNumber() && release.atLeast(PyRelease.V1_0_8)) {
            throw new Mem0Failure("mem0 " + release.version() + " cannot delete " + memoryId + ": fromisoformat() of an integer");
        }
        String text = text(old, "data");
        store.remove(memoryId);
        switch (release.generation()) {
            case 0 -> insertG0(memoryId, text, null, "delete", PyTime.naive(now), 1);
            case 1 -> insertG1(memoryId, text, null, "DELETE", null, null, 1);
            default -> {
                Object created = null;
                Object updated = null;
                if (release.atLeast(PyRelease.V1_0_8)) {
                    String c = createdNode == null || createdNode.isNull() ? null : createdNode.asText();
                    created = c != null && PyTime.hasOffset(c) ? PyTime.toUtc(c) : c; // naive text kept as is
                    updated = PyTime.utc(now);
                }
                insertG2(memoryId, text, null, "DELETE", created, updated, 1, text(old, "actor_id"), text(old, "role"));
            }
        }
    }

    /** Whether this release can update and delete the memory (1.0.7+ fail on epoch created_at). */
    public boolean canChange(String memoryId) {
        JsonNode created = store.get(memoryId).get("created_at");
        return created == null || !created.isNumber() || !release.atLeast(PyRelease.V1_0_7);
    }

    // ---- SQL ----

    private void insertG0(String memoryId, String prev, String value, String event, String timestamp, int deleted)
            throws SQLException {
        insert("INSERT INTO history (id, memory_id, prev_value, new_value, event, timestamp, is_deleted) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ids.get(), memoryId, prev, value, event, timestamp, deleted);
    }

    private void insertG1(String memoryId, String old, String value, String event, Object created, Object updated, int deleted)
            throws SQLException {
        insert("INSERT INTO history (id, memory_id, old_memory, new_memory, event, created_at, updated_at, is_deleted) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ids.get(), memoryId, old, value, event, created, updated, deleted);
    }

    private void insertG2(String memoryId, String old, String value, String event, Object created, Object updated, int deleted,
            String actor, String role) throws SQLException {
        insert("INSERT INTO history (id, memory_id, old_memory, new_memory, event, created_at, updated_at, is_deleted, actor_id, "
                + "role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ids.get(), memoryId, old, value, event, created, updated, deleted,
                actor, role);
    }

    private void insert(String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]); // Long -> INTEGER, String -> TEXT, as Python's sqlite3 binds them
            }
            ps.executeUpdate();
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    /** What v0.1.34 - v0.1.99 expected PRAGMA table_info(history) to say: name -> declared type. */
    static final Map<String, String> G1_SCHEMA = Map.of("id", "TEXT", "memory_id", "TEXT", "old_memory",
            "TEXT", "new_memory", "TEXT", "new_value", "TEXT", "event", "TEXT", "created_at", "DATETIME", "updated_at",
            "DATETIME", "is_deleted", "INTEGER");

    static Map<String, String> schema(Connection db, String table) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
            while (rs.next()) {
                out.put(rs.getString("name"), rs.getString("type"));
            }
        }
        return out;
    }

    static Set<String> columns(Connection db, String table) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
            while (rs.next()) {
                out.add(rs.getString("name"));
            }
        }
        return out;
    }

    private static void copy(ObjectNode from, ObjectNode to, String key) {
        if (from.has(key)) {
            to.set(key, from.get(key));
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String md5(String text) {
        return DigestUtils.md5Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
