package dev.mig.mem0;

import static dev.mig.mem0.PackRun.applied;
import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.rows;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
import dev.mig.demo.Demo;
import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Internal;
import dev.mig.mem0.emulation.Life;
import dev.mig.mem0.emulation.Payloads;
import dev.mig.mem0.emulation.PyTime;
import dev.mig.mem0.emulation.Stores;
import dev.mig.mem0.emulation.TsMem0;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Collections, the TypeScript SDK's stores, `mig inspect` and the demo, on emulated mem0 data, checked with plain SQL. */
class StorePackTest {
    @TempDir
    Path dir;

    private static String digest(Connection c, String table) throws Exception {
        StringBuilder out = new StringBuilder();
        rows(c, "SELECT id" + (c.getMetaData().getURL().startsWith("jdbc:postgresql") ? "::text" : "") + ", vector::text, payload::text "
                + "FROM \"" + table + "\" ORDER BY 1").values().forEach(r -> out.append(r).append('\n'));
        return out.toString();
    }

    /** Python collection of every era on PostgreSQL: UTC text, md5 hash, updated_at; internal tables and vectors untouched. */
    @Test
    void pythonCollectionOnPostgres() throws Exception {
        Life life;
        try (Connection h = sqlite(dir.resolve("h.db"))) {
            life = Stores.g2(h, 1500, 11);
        }
        String pg = Pg.newDatabase();
        String internalBefore;
        Map<String, Map<String, Object>> before;
        try (Connection c = Pg.connect(pg)) {
            life.store().writeCollection(c, "mem0", true, "real[]", 1);
            for (String t : List.of("mem0migrations", "mem0_migrations", "mem0-migrations")) {
                Internal.telemetry(c, t, true, "real[]", 4, 2);
            }
            Internal.entities(c, "mem0_entities", true, "real[]", life.store(), 3);
            assertTrue(count(c, "SELECT count(*) FROM mem0 WHERE jsonb_typeof(payload->'created_at') = 'number'") > 0, "epochs");
            assertTrue(count(c, "SELECT count(*) FROM mem0 WHERE payload->>'created_at' LIKE '%-07:00' "
                    + "OR payload->>'created_at' LIKE '%-08:00'") > 0, "Pacific");
            assertTrue(count(c, "SELECT count(*) FROM mem0 WHERE NOT payload ? 'updated_at'") > 0, "no updated_at");
            assertTrue(count(c, "SELECT count(*) FROM mem0 WHERE payload->>'hash' IS DISTINCT FROM md5(payload->>'data')") > 0);
            internalBefore = digest(c, "mem0migrations") + digest(c, "mem0_migrations") + digest(c, "mem0-migrations")
                    + digest(c, "mem0_entities");
            before = rows(c, "SELECT id::text, vector::text AS vector, payload::text AS payload FROM mem0");
        }
        applied(dir, "006_collection_payloads.mig", Map.of("MEM0_COLLECTION_URL", pg));
        try (Connection c = Pg.connect(pg)) {
            assertEquals(internalBefore, digest(c, "mem0migrations") + digest(c, "mem0_migrations") + digest(c, "mem0-migrations")
                    + digest(c, "mem0_entities"), "internal tables untouched");
            Map<String, Map<String, Object>> after = rows(c, "SELECT id::text, vector::text AS vector, payload::text AS payload FROM mem0");
            assertEquals(before.keySet(), after.keySet());
            for (String id : before.keySet()) {
                assertEquals(before.get(id).get("vector"), after.get(id).get("vector"), "vector untouched");
                JsonNode was = Values.parseJson((String) before.get(id).get("payload"));
                JsonNode now = Values.parseJson((String) after.get(id).get("payload"));
                assertEquals(DigestUtils.md5Hex(now.get("data").asText().getBytes(StandardCharsets.UTF_8)), now.get("hash").asText());
                JsonNode created = was.get("created_at");
                if (created == null) {
                    assertFalse(now.has("created_at"), "a missing created_at is not invented");
                } else {
                    assertEquals(PyTime.utc(PackRun.instant(created.isNumber() ? created.longValue() : created.asText())),
                            now.get("created_at").asText());
                }
                JsonNode updated = was.hasNonNull("updated_at") ? was.get("updated_at") : created;
                assertEquals(PyTime.utc(PackRun.instant(updated.isNumber() ? updated.longValue() : updated.asText())),
                        now.get("updated_at").asText());
                was.fieldNames().forEachRemaining(k -> {
                    if (!List.of("created_at", "updated_at", "hash").contains(k)) {
                        assertEquals(was.get(k), now.get(k), k);
                    }
                });
            }
        }
        applied(dir, "012_collection_text_lemmatized.mig", Map.of("MEM0_COLLECTION_URL", pg));
        try (Connection c = Pg.connect(pg)) {
            assertEquals(0, count(c, "SELECT count(*) FROM mem0 WHERE NOT payload ? 'text_lemmatized'"));
            assertEquals(1, count(c, "SELECT count(*) FROM pg_indexes WHERE indexname = 'mem0_text_lemmatized_idx'"));
            assertTrue(count(c, "SELECT count(*) FROM mem0 WHERE to_tsvector('simple', payload->>'text_lemmatized') "
                    + "@@ to_tsquery('simple', 'tea')") > 0, "keyword search finds old memories through the index's expression");
        }
    }

    /** TS v2 rows are invisible to a v3 filter on user_id until 011 renames them. */
    @Test
    void typeScriptV2CollectionBecomesVisibleToV3() throws Exception {
        Payloads store = new Payloads();
        try (Connection h = sqlite(dir.resolve("memory.db"))) {
            new TsMem0(h, store, 2, 5).run(400);
        }
        String pg = Pg.newDatabase();
        long alice;
        try (Connection c = Pg.connect(pg)) {
            store.writeCollection(c, "memories", true, "real[]", 1);
            alice = count(c, "SELECT count(*) FROM memories WHERE payload->>'userId' = 'alice'");
            assertTrue(alice > 0);
            assertEquals(0, count(c, "SELECT count(*) FROM memories WHERE payload @> '{\"user_id\": \"alice\"}'"));
        }
        String out = applied(dir, "011_ts_collection_v2_to_v3.mig", Map.of("MEM0_COLLECTION_URL", pg));
        assertTrue(out.matches("(?s).*memories payloads: TypeScript keys \\d+ \\(v2 camelCase ids [1-9]\\d*\\), Python keys 0; "
                + "created_at utc \\d+; .*"), out);
        try (Connection c = Pg.connect(pg)) {
            assertEquals(alice, count(c, "SELECT count(*) FROM memories WHERE payload @> '{\"user_id\": \"alice\"}'"));
            assertEquals(0, count(c, "SELECT count(*) FROM memories WHERE payload ?| array['userId', 'agentId', 'runId']"));
            assertEquals(0, count(c, "SELECT count(*) FROM memories WHERE NOT payload ? 'updatedAt'"));
        }
    }

    /** memory_history is the TS SDK's current table: 005 leaves it; 013 copies it for an SDK switch and keeps it. */
    @Test
    void typeScriptHistoryStaysAndTheSwitchCopiesIt() throws Exception {
        Path ts = dir.resolve("memory.db");
        try (Connection h = sqlite(ts)) {
            new TsMem0(h, new Payloads(), 2, 6).run(500);
        }
        String before;
        try (Connection c = sqlite(ts)) {
            before = rows(c, "SELECT * FROM memory_history").toString();
            assertTrue(count(c, "SELECT count(*) FROM memory_history WHERE action = 'DELETE' AND created_at IS NULL") > 0);
        }
        applied(dir, "005_ts_memory_history_sqlite.mig", Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + ts));
        Path py = dir.resolve("history.db");
        applied(dir, "013_ts_history_to_python_history.mig", Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + ts,
                "MEM0_HISTORY_URL", "jdbc:sqlite:" + py));
        try (Connection c = sqlite(ts)) {
            assertEquals(before, rows(c, "SELECT * FROM memory_history").toString(), "the TS SDK's table is untouched");
        }
        RealMem0.assertEmulationAgrees(py); // mem0's own storage.py, where its source is at hand
        try (Connection c = sqlite(py); Connection t = sqlite(ts)) {
            assertFalse(CurrentMem0.wouldRebuild(c));
            Map<String, Map<String, Object>> copied = rows(c, HistoryPackTest.G2_SELECT + "history");
            Map<String, Map<String, Object>> legacy = rows(t, "SELECT id, memory_id, previous_value, new_value, action, created_at, "
                    + "updated_at FROM memory_history");
            assertEquals(legacy.size(), copied.size());
            for (Map.Entry<String, Map<String, Object>> e : legacy.entrySet()) {
                Map<String, Object> row = copied.get(e.getKey());
                assertEquals(e.getValue().get("new_value"), row.get("new_memory"));
                assertEquals(PackRun.currentSpelling(e.getValue().get("created_at")), row.get("created_at"));
            }
        }
    }

    /**
     * 014/014b for a TS user switching historyStore to supabase: memory_history moves into the table the
     * SDK's SupabaseHistoryManager prints (its DDL, types, defaults), ids, values and instants kept; the
     * SDK's own query (select * where memory_id = ? order by created_at desc limit 100, run here as
     * plain SQL) returns each memory's events; writes made to memory.db until the switch are carried by
     * 014b, beside what the SDK then writes through Supabase. memory.db keeps its table.
     */
    @Test
    void typeScriptHistoryMovesToTheSupabaseStore() throws Exception {
        Path ts = dir.resolve("memory.db");
        TsMem0 sdk;
        try (Connection h = sqlite(ts)) {
            sdk = new TsMem0(h, new Payloads(), 3, 9);
            sdk.run(400);
        }
        Map<String, Map<String, Object>> legacy;
        try (Connection c = sqlite(ts)) {
            legacy = rows(c, "SELECT CAST(id AS TEXT) AS id, memory_id, previous_value, new_value, action, created_at, updated_at, "
                    + "is_deleted FROM memory_history");
        }
        String pg = Pg.newDatabase();
        Map<String, String> env = Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + ts, "MEM0_PG_URL", pg);
        applied(dir, "014_ts_history_to_supabase.mig", env);
        String memoryAfter;
        try (Connection h = sqlite(ts)) { // the SDK writes on until the switch: queued
            memoryAfter = new TsMem0(h, new Payloads(), 3, 10).add("written before the switch", "alice");
        }
        try (Connection c = Pg.connect(pg); Statement st = c.createStatement()) {
            assertEquals("text", PackRun.rows(c, "SELECT data_type FROM information_schema.columns WHERE table_name = 'memory_history' "
                    + "AND column_name = 'id'").keySet().iterator().next());
            assertEquals("timestamp with time zone", PackRun.rows(c, "SELECT data_type FROM information_schema.columns "
                    + "WHERE table_name = 'memory_history' AND column_name = 'created_at'").keySet().iterator().next());
            // after the switch, SupabaseHistoryManager.addHistory inserts a uuid id and toISOString() text
            st.execute("INSERT INTO memory_history (id, memory_id, previous_value, new_value, action, created_at, updated_at, "
                    + "is_deleted) VALUES ('6f1d3c52-8a11-4f7e-9a55-0d3f1c2b7e11', 'm-supabase', NULL, 'written through Supabase', "
                    + "'ADD', '2026-12-02T10:00:00.000Z', NULL, 0)");
        }
        applied(dir, "014b_ts_history_to_supabase_finish.mig", env);
        try (Connection c = Pg.connect(pg); Connection t = sqlite(ts)) {
            Map<String, Map<String, Object>> moved = rows(c, "SELECT * FROM memory_history");
            assertEquals(legacy.size() + 2, moved.size(), "every SQLite event, the one queued until the switch, the Supabase one");
            for (Map.Entry<String, Map<String, Object>> e : legacy.entrySet()) {
                Map<String, Object> row = moved.get(e.getKey());
                assertNotNull(row, "event " + e.getKey());
                for (String k : List.of("memory_id", "previous_value", "new_value", "action", "is_deleted")) {
                    assertEquals(e.getValue().get(k), row.get(k), k + " of " + e.getKey());
                }
                assertEquals(PackRun.instant(e.getValue().get("created_at")), PackRun.instant(row.get("created_at")));
                assertEquals(PackRun.instant(e.getValue().get("updated_at")), PackRun.instant(row.get("updated_at")));
            }
            // the SDK's getHistory query, per memory: every event of the memory, newest first, NULL created_at (DELETE) first
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM memory_history WHERE memory_id = ? ORDER BY created_at DESC LIMIT 100")) {
                Map<String, Long> perMemory = new HashMap<>();
                legacy.values().forEach(r -> perMemory.merge((String) r.get("memory_id"), 1L, Long::sum));
                for (Map.Entry<String, Long> m : perMemory.entrySet()) {
                    ps.setString(1, m.getKey());
                    List<String> actions = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            actions.add(rs.getString("action"));
                        }
                    }
                    long expected = m.getValue() + (m.getKey().equals(memoryAfter) ? 1 : 0);
                    assertEquals(expected, actions.size(), "events of " + m.getKey());
                    if (actions.contains("DELETE")) {
                        assertEquals("DELETE", actions.get(0), "a DELETE comes first (newest) for " + m.getKey());
                    }
                }
            }
            assertEquals(legacy.size() + 1, count(t, "SELECT count(*) FROM memory_history"), "memory.db keeps its table");
            assertEquals(0, count(t, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), "capture removed");
        }
    }

    /**
     * The TS SDK's local store left at its old default location (MEM0.md 6): inspect of the directory names
     * the moved-default hazard, dims, v2/v3 payloads and rows a move to pgvector would reject; 016 merges
     * the old file into the new location, bytes kept, a memory already there with other values reported.
     */
    @Test
    void theTsLocalStoreAtItsOldDefaultLocationIsFoundAndMerged() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".mem0"));
        Path old = home.resolve("vector_store.db");
        Path now = home.resolve(".mem0/vector_store.db");
        String ddl = "CREATE TABLE vectors (id TEXT PRIMARY KEY, vector BLOB NOT NULL, payload TEXT NOT NULL); "
                + "CREATE TABLE memory_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL UNIQUE)";
        Random random = new Random(3);
        List<String> ids = new ArrayList<>();
        try (Connection c = sqlite(old); Statement st = c.createStatement()) {
            for (String d : ddl.split("; ")) {
                st.execute(d);
            }
            PreparedStatement ps = c.prepareStatement("INSERT INTO vectors VALUES (?, ?, ?)");
            for (int i = 0; i < 30; i++) {
                ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < 8; k++) {
                    b.putFloat((float) random.nextGaussian());
                }
                String id = UUID.randomUUID().toString();
                ids.add(id);
                ps.setString(1, id);
                ps.setBytes(2, b.array());
                ps.setString(3, i < 20 ? "{\"data\":\"m" + i + "\",\"userId\":\"alice\",\"createdAt\":\"2025-03-01T10:00:00.000Z\"}"
                        : "{\"data\":\"m" + i + "\",\"user_id\":\"bob\",\"createdAt\":\"2026-04-01T10:00:00.000Z\"}");
                ps.executeUpdate();
            }
            st.execute("INSERT INTO memory_migrations (user_id) VALUES ('old-user')");
        }
        try (Connection c = sqlite(now); Statement st = c.createStatement()) { // the upgraded SDK's empty store, one new memory
            for (String d : ddl.split("; ")) {
                st.execute(d);
            }
            st.execute("INSERT INTO vectors VALUES ('" + ids.get(0) + "', X'00000000', '{\"data\":\"other\"}')");
        }
        List<String> out = new ArrayList<>();
        new Inspector(out::add).inspect(List.of(home.toString()));
        String text = String.join("\n", out);
        assertTrue(text.contains("MOVED DEFAULT FILE: 30 memories in " + old) && text.contains("016_ts_vector_store_moved_default.mig"),
                text);
        assertTrue(text.contains("vectors: 8 dims; payloads: 20 TS v2 (camelCase ids), 10 TS v3 (snake_case)"), text);
        assertTrue(text.contains("015_ts_vector_store_to_pgvector.mig") && text.contains("MEM0_DIMS=8"), text);
        PackRun.Result merged = PackRun.run(dir, "016_ts_vector_store_moved_default.mig", Map.of("MEM0_TS_OLD_VECTORS_URL",
                "jdbc:sqlite:" + old, "MEM0_TS_VECTORS_URL", "jdbc:sqlite:" + now));
        assertEquals(ScriptRunner.Outcome.FAILED, merged.outcome(), "the conflicting memory stops the merge: " + merged.output());
        assertTrue(merged.output().contains("read 30, written 29, rejected 1"), merged.output());
        try (Connection c = sqlite(now); Connection o = sqlite(old)) {
            assertEquals(30, count(c, "SELECT count(*) FROM vectors"));
            assertEquals("other", rows(c, "SELECT id, json_extract(payload, '$.data') AS d FROM vectors WHERE id = '" + ids.get(0) + "'")
                    .get(ids.get(0)).get("d"), "the new file keeps its own row");
            c.createStatement().execute("ATTACH DATABASE '" + old + "' AS o");
            assertEquals(29, count(c, "SELECT count(*) FROM vectors n JOIN o.vectors v ON v.id = n.id AND v.vector = n.vector "
                    + "AND v.payload = n.payload"), "bytes and payload text exactly as in the old file");
        }
    }

    @Test
    void inspectNamesEveryHazardAndTheScripts() throws Exception {
        try (Connection c = sqlite(dir.resolve("g1.db"))) {
            Stores.g1WithOldHistory(c, 600, 7);
        }
        long before = Files.size(dir.resolve("g1.db"));
        List<String> out = new ArrayList<>();
        new Inspector(out::add).inspect(List.of("jdbc:sqlite:" + dir.resolve("g1.db")));
        String text = String.join("\n", out);
        assertTrue(text.contains("old_history") && text.contains("ORPHANED"), text);
        assertTrue(text.contains("INTEGER epoch") && text.contains("NULL {DELETE="), text);
        assertTrue(text.contains("lowercase events"), text);
        assertTrue(text.indexOf("002_history_g1_sqlite.mig") < text.indexOf("008_history_orphans_old_history.mig"), text);
        assertTrue(text.indexOf("008_history_orphans") < text.indexOf("010_history_copy_to_postgres"), text);
        assertTrue(text.contains("Python mem0 reads and writes history only in this file"), text);
        assertTrue(text.contains("a COPY in PostgreSQL for other readers") && text.contains("mem0 keeps reading the file"), text);
        assertFalse(text.contains("switch"), "inspect never suggests switching Python history away from its file: " + text);
        assertTrue(text.matches("(?s).*\\d+ DELETE events without created_at .*returns them first.*"), text);
        assertFalse(text.contains("without a fraction (sort out of time order"), text);
        // mixed spellings in a G2 file written by many releases: reported, and gone after 007
        try (Connection c = sqlite(dir.resolve("g2.db"))) {
            Stores.g2(c, 1200, 3);
        }
        List<String> g2 = new ArrayList<>();
        new Inspector(g2::add).inspect(List.of("jdbc:sqlite:" + dir.resolve("g2.db")));
        assertTrue(String.join("\n", g2).matches("(?s).*get_history order: \\d+ events of \\d+ memories come back before an "
                + "earlier one.*"), String.join("\n", g2));
        applied(dir, "007_history_g2_sqlite.mig", Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + dir.resolve("g2.db")));
        g2.clear();
        new Inspector(g2::add).inspect(List.of("jdbc:sqlite:" + dir.resolve("g2.db")));
        assertFalse(String.join("\n", g2).contains("get_history order"), String.join("\n", g2));
        assertEquals(before, Files.size(dir.resolve("g1.db")));
        try (Connection c = sqlite(dir.resolve("g1.db"))) {
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'mig_%'"), "inspect writes nothing");
        }
    }

    @Test
    void theDemoRunsTwiceAndEveryCheckPasses() {
        for (int i = 0; i < 2; i++) {
            List<String> out = new ArrayList<>();
            assertTrue(Demo.run(dir.resolve("demo"), 500, 42, out::add), String.join("\n", out));
            String printed = String.join("\n", out);
            assertEquals(Demo.STEPS.size() - 1, printed.split("   PASS").length - 1, printed); // 005 only checks
            assertTrue(printed.contains("values lost (prev_value, new_value, timestamp)"), printed);
            assertTrue(printed.contains("rows in old_history never read"), printed);
            assertTrue(printed.contains("current mem0 opens every history file without rebuilding it"), printed);
            assertFalse(printed.contains("FAILED"), printed);
        }
    }
}
