package dev.mig.mem0;

import static dev.mig.mem0.PackRun.applied;
import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.rows;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Life;
import dev.mig.mem0.emulation.Payloads;
import dev.mig.mem0.emulation.PyTime;
import dev.mig.mem0.emulation.Stores;
import dev.mig.mem0.emulation.TsMem0;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.RollbackRunner;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig rollback for every pack script (001-013), each after the application wrote to the migrated data:
 * the legacy tables back as they were, what was written since carried back (or, for a table the version
 * never wrote, left alone; for 013, which takes no backup, nothing to roll back), read with plain SQL.
 */
class PackRollbackTest {
    @TempDir
    Path dir;

    interface Store {
        void make(Connection c) throws SQLException;
    }

    @Test
    void g0InPlace() throws Exception {
        check("001_history_g0_sqlite.mig", "1", "MEM0_HISTORY_G0_URL", c -> Stores.g0(c, 900, 5),
                "prev_value", "new_value", "timestamp");
    }

    @Test
    void g1InPlace() throws Exception {
        check("002_history_g1_sqlite.mig", "2", "MEM0_HISTORY_G1_URL", c -> Stores.g1(c, 900, 6),
                "old_memory", "new_memory", "created_at");
    }

    /** A line mig cannot invert (upper case of events) comes back through the script's on rollback map. */
    @Test
    void aDeclaredRollbackMapWinsOverTheDerivedInverse() throws Exception {
        String text = Files.readString(Path.of("src/test/resources/golden/run/16_rollback_map.mig"));
        Map<String, String> env = Map.of("DIR", dir.toString());
        List<String> out = new ArrayList<>();
        ScriptSource source = new ScriptSource(dir.resolve("16.mig").toString(), text);
        assertEquals(ScriptRunner.Outcome.APPLIED, new ScriptRunner(new RunOptions(false, env, dir, out::add)).run(source),
                String.join("\n", out));
        try (Connection c = sqlite(dir.resolve("rb.db"))) {
            CurrentMem0Like.add(c);
        }
        out.clear();
        assertTrue(RollbackRunner.run("16", List.of(source), new RunOptions(false, env, dir, out::add)), String.join("\n", out));
        try (Connection c = sqlite(dir.resolve("rb.db"))) {
            Map<String, Map<String, Object>> rows = rows(c, "SELECT id, prev_value, new_value, event, timestamp FROM history");
            assertEquals("update", rows.get("c").get("event"), "lower(event) from the rollback map");
            assertEquals("coffee", rows.get("c").get("prev_value"));
            assertEquals("milk", rows.get("c").get("new_value"));
            assertEquals(PackRun.instant("2024-07-03T08:00:00+00:00"), PackRun.instant(rows.get("c").get("timestamp")));
            assertEquals("add", rows.get("a").get("event"), "an old row comes back exactly");
        }
        assertTrue(String.join("\n", out).contains("1 rows added"), String.join("\n", out));
    }

    /**
     * 006 rewrote the collection's payloads in place; mem0 then added and updated memories; mig rollback 6
     * brings the legacy payloads back and keeps what mem0 wrote after the migration.
     */
    @Test
    void rollbackOfAnInPlaceMapKeepsWhatWasWrittenAfterIt() throws Exception {
        Path db = dir.resolve("collection.db");
        Life life;
        try (Connection h = sqlite(dir.resolve("h.db"))) {
            life = Stores.g2(h, 300, 13);
        }
        try (Connection c = sqlite(db)) {
            life.store().writeCollection(c, "mem0", false, "TEXT", 1);
        }
        Map<String, Map<String, Object>> before;
        try (Connection c = sqlite(db)) {
            before = rows(c, "SELECT id, payload FROM mem0");
        }
        Map<String, String> env = new HashMap<>(Map.of("MEM0_COLLECTION_URL", "jdbc:sqlite:" + db));
        applied(dir, "006_collection_payloads.mig", env);
        String updated = before.keySet().iterator().next();
        try (Connection c = sqlite(db); Statement s = c.createStatement()) { // current mem0, after the migration
            s.execute("INSERT INTO mem0 (id, vector, payload) VALUES ('new-memory', '[0.1,0.2,0.3,0.4]', "
                    + "'{\"data\": \"added after\", \"created_at\": \"2026-11-30T10:00:00+00:00\"}')");
            s.execute("UPDATE mem0 SET payload = '{\"data\": \"updated after\", \"created_at\": \"2026-11-30T11:00:00+00:00\"}' "
                    + "WHERE id = '" + updated + "'");
        }
        env.put("MIG_OUT", dir.resolve("out").toString());
        List<String> out = new ArrayList<>();
        String text = Files.readString(Path.of("scripts/mem0/006_collection_payloads.mig"));
        assertTrue(RollbackRunner.run("6", List.of(new ScriptSource("scripts/mem0/006_collection_payloads.mig", text)),
                new RunOptions(false, env, dir, out::add)), String.join("\n", out));
        assertTrue(String.join("\n", out).contains("written since: 1 rows added and 1 changed, kept as written"), String.join("\n", out));
        try (Connection c = sqlite(db)) {
            Map<String, Map<String, Object>> after = rows(c, "SELECT id, payload FROM mem0");
            assertEquals(before.size() + 1, after.size());
            assertTrue(String.valueOf(after.get("new-memory").get("payload")).contains("added after"));
            assertTrue(String.valueOf(after.get(updated).get("payload")).contains("updated after"));
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                if (!e.getKey().equals(updated)) {
                    assertEquals(e.getValue(), after.get(e.getKey()), "a legacy payload comes back exactly");
                }
            }
            assertEquals(before.size() + 1, count(c, "SELECT count(*) FROM mem0_after_v6"), "the migrated table is kept");
        }
    }

    /** 007 normalised a G2 history in place; current mem0 wrote since; mig rollback 7 keeps those events. */
    @Test
    void rollbackOf007KeepsEventsWrittenAfterIt() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            Stores.g2(c, 500, 14);
        }
        Map<String, Map<String, Object>> before;
        try (Connection c = sqlite(db)) {
            before = rows(c, "SELECT * FROM history");
        }
        Map<String, String> env = new HashMap<>(Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db));
        applied(dir, "007_history_g2_sqlite.mig", env);
        try (Connection c = sqlite(db)) {
            CurrentMem0.addHistory(c, "after-007", "m", null, "written after 007", "ADD", PyTime.utc(Instant.parse("2026-11-30T12:00:00Z")),
                    PyTime.utc(Instant.parse("2026-11-30T12:00:00Z")), 0);
        }
        env.put("MIG_OUT", dir.resolve("out").toString());
        List<String> out = new ArrayList<>();
        String text = Files.readString(Path.of("scripts/mem0/007_history_g2_sqlite.mig"));
        assertTrue(RollbackRunner.run("7", List.of(new ScriptSource("scripts/mem0/007_history_g2_sqlite.mig", text)),
                new RunOptions(false, env, dir, out::add)), String.join("\n", out));
        try (Connection c = sqlite(db)) {
            Map<String, Map<String, Object>> after = rows(c, "SELECT * FROM history");
            assertEquals(before.size() + 1, after.size());
            assertEquals("written after 007", after.get("after-007").get("new_memory"));
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                assertEquals(e.getValue(), after.get(e.getKey()), "a legacy row comes back exactly");
            }
        }
    }

    /** 011 renamed TS v2 ids in place; TS v3 wrote since; mig rollback 11 gives back v2 payloads and keeps v3's. */
    @Test
    void rollbackOf011KeepsWhatTheV3SdkWrote() throws Exception {
        Path db = dir.resolve("ts.db");
        Payloads store = new Payloads();
        try (Connection h = sqlite(dir.resolve("memory.db"))) {
            new TsMem0(h, store, 2, 5).run(200);
        }
        try (Connection c = sqlite(db)) {
            store.writeCollection(c, "memories", false, "TEXT", 1);
        }
        Map<String, Map<String, Object>> before;
        try (Connection c = sqlite(db)) {
            before = rows(c, "SELECT id, payload FROM memories");
        }
        Map<String, String> env = new HashMap<>(Map.of("MEM0_COLLECTION_URL", "jdbc:sqlite:" + db));
        applied(dir, "011_ts_collection_v2_to_v3.mig", env);
        try (Connection c = sqlite(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO memories (id, vector, payload) VALUES ('v3-memory', '[0.1,0.2,0.3,0.4]', "
                    + "'{\"data\": \"from v3\", \"user_id\": \"alice\", \"createdAt\": \"2026-11-30T10:00:00.000Z\"}')");
        }
        env.put("MIG_OUT", dir.resolve("out").toString());
        List<String> out = new ArrayList<>();
        String text = Files.readString(Path.of("scripts/mem0/011_ts_collection_v2_to_v3.mig"));
        assertTrue(RollbackRunner.run("11", List.of(new ScriptSource("scripts/mem0/011_ts_collection_v2_to_v3.mig", text)),
                new RunOptions(false, env, dir, out::add)), String.join("\n", out));
        try (Connection c = sqlite(db)) {
            Map<String, Map<String, Object>> after = rows(c, "SELECT id, payload FROM memories");
            assertEquals(before.size() + 1, after.size());
            assertTrue(String.valueOf(after.get("v3-memory").get("payload")).contains("from v3"));
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                assertEquals(e.getValue(), after.get(e.getKey()), "a v2 payload comes back exactly");
            }
        }
    }

    /** 005 only backs up and checks memory_history: rolling it back leaves the TS SDK's later writes alone. */
    @Test
    void rollbackOf005LeavesTheTableItNeverWrote() throws Exception {
        Path ts = dir.resolve("memory.db");
        try (Connection h = sqlite(ts)) {
            new TsMem0(h, new Payloads(), 2, 7).run(100);
        }
        Map<String, String> env = new HashMap<>(Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + ts));
        applied(dir, "005_ts_memory_history_sqlite.mig", env);
        long rows;
        try (Connection c = sqlite(ts); Statement s = c.createStatement()) {
            s.execute("INSERT INTO memory_history (memory_id, previous_value, new_value, action, created_at, is_deleted) "
                    + "VALUES ('m', NULL, 'after 005', 'ADD', '2026-11-30T10:00:00.000Z', 0)");
            rows = count(c, "SELECT count(*) FROM memory_history");
        }
        env.put("MIG_OUT", dir.resolve("out").toString());
        List<String> out = new ArrayList<>();
        String text = Files.readString(Path.of("scripts/mem0/005_ts_memory_history_sqlite.mig"));
        assertTrue(RollbackRunner.run("5", List.of(new ScriptSource("scripts/mem0/005_ts_memory_history_sqlite.mig", text)),
                new RunOptions(false, env, dir, out::add)), String.join("\n", out));
        assertTrue(String.join("\n", out).contains("not written by this migration, left as it is"), String.join("\n", out));
        try (Connection c = sqlite(ts)) {
            assertEquals(rows, count(c, "SELECT count(*) FROM memory_history"));
            assertEquals(1, count(c, "SELECT count(*) FROM memory_history WHERE new_value = 'after 005'"));
        }
    }

    /**
     * 014 moved memory_history to the Supabase store and the SDK wrote there; the user goes back to the
     * SQLite store: mig rollback 14 restores memory.db's table and carries the Supabase writes back.
     */
    @Test
    void rollbackOf014CarriesSupabaseWritesBack() throws Exception {
        Path ts = dir.resolve("memory.db");
        try (Connection h = sqlite(ts)) {
            new TsMem0(h, new Payloads(), 3, 8).run(200);
        }
        Map<String, Map<String, Object>> before;
        try (Connection c = sqlite(ts)) {
            before = rows(c, "SELECT * FROM memory_history");
        }
        String pg = Pg.newDatabase();
        Map<String, String> env = new HashMap<>(Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + ts, "MEM0_PG_URL", pg));
        applied(dir, "014_ts_history_to_supabase.mig", env);
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) { // the SDK, switched
            s.execute("INSERT INTO memory_history (id, memory_id, new_value, action, created_at, is_deleted) "
                    + "VALUES ('901', 'm-supabase', 'written through Supabase', 'ADD', '2026-12-01T10:00:00.000Z', 0)");
        }
        List<String> out = new ArrayList<>();
        assertTrue(rollback("14", "014_ts_history_to_supabase.mig", env, out), String.join("\n", out));
        assertTrue(String.join("\n", out).contains("1 rows added"), String.join("\n", out));
        try (Connection c = sqlite(ts)) {
            Map<String, Map<String, Object>> after = rows(c, "SELECT * FROM memory_history");
            assertEquals(before.size() + 1, after.size());
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                assertEquals(e.getValue(), after.get(e.getKey()), "an SQLite row comes back exactly");
            }
            Map<String, Object> carried = after.get("901");
            assertEquals("written through Supabase", carried.get("new_value"));
            assertEquals(Instant.parse("2026-12-01T10:00:00Z"), PackRun.instant(carried.get("created_at")));
        }
    }

    private boolean rollback(String version, String script, Map<String, String> env, List<String> out) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("MIG_OUT", dir.resolve("out").toString());
        String text = Files.readString(Path.of("scripts/mem0", script));
        return RollbackRunner.run(version, List.of(new ScriptSource("scripts/mem0/" + script, text)),
                new RunOptions(false, all, dir, out::add));
    }

    /** 008 merged orphans into history and pruned old_history; mig rollback 8 brings old_history back. */
    @Test
    void rollbackOf008BringsTheOrphanTableBack() throws Exception {
        Path db = dir.resolve("orphan.db");
        try (Connection c = sqlite(db)) {
            Stores.g1WithOldHistory(c, 300, 17);
        }
        Map<String, Map<String, Object>> orphans;
        try (Connection c = sqlite(db)) {
            orphans = rows(c, "SELECT * FROM old_history");
        }
        Map<String, String> env = Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db, "MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + db);
        applied(dir, "002_history_g1_sqlite.mig", env); // 008 merges into a current history
        applied(dir, "008_history_orphans_old_history.mig", env);
        List<String> out = new ArrayList<>();
        assertTrue(rollback("8", "008_history_orphans_old_history.mig", env, out), String.join("\n", out));
        try (Connection c = sqlite(db)) {
            assertEquals(orphans, rows(c, "SELECT * FROM old_history"), "the orphan table as it was");
            assertTrue(count(c, "SELECT count(*) FROM history") >= orphans.size(), "history keeps what it holds");
        }
    }

    /** 009 merged history_old into history and pruned it; mig rollback 9 brings history_old back. */
    @Test
    void rollbackOf009BringsTheOrphanTableBack() throws Exception {
        Path db = dir.resolve("orphan2.db");
        try (Connection c = sqlite(db)) {
            Stores.g2WithHistoryOld(c, 300, 18);
        }
        Map<String, Map<String, Object>> orphans;
        try (Connection c = sqlite(db)) {
            orphans = rows(c, "SELECT * FROM history_old");
        }
        Map<String, String> env = Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db);
        applied(dir, "009_history_orphans_history_old.mig", env);
        List<String> out = new ArrayList<>();
        assertTrue(rollback("9", "009_history_orphans_history_old.mig", env, out), String.join("\n", out));
        try (Connection c = sqlite(db)) {
            assertEquals(orphans, rows(c, "SELECT * FROM history_old"), "the orphan table as it was");
        }
    }

    /** 012 filled text_lemmatized in place on PostgreSQL; mem0 wrote since; mig rollback 12 keeps mem0's writes. */
    @Test
    void rollbackOf012KeepsWhatMem0WroteAfterIt() throws Exception {
        Life life;
        try (Connection h = sqlite(dir.resolve("h12.db"))) {
            life = Stores.g2(h, 300, 19);
        }
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg)) {
            life.store().writeCollection(c, "mem0", true, "real[]", 2);
        }
        Map<String, Map<String, Object>> before;
        try (Connection c = Pg.connect(pg)) {
            before = rows(c, "SELECT id::text, payload::text AS payload FROM mem0");
        }
        Map<String, String> env = Map.of("MEM0_COLLECTION_URL", pg);
        applied(dir, "012_collection_text_lemmatized.mig", env);
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            s.execute("INSERT INTO mem0 (id, vector, payload) VALUES ('00000000-0000-0000-0000-000000000012', '{0.1,0.2}', "
                    + "'{\"data\": \"from mem0 2.x\", \"text_lemmatized\": \"from mem0 2.x\"}')");
        }
        List<String> out = new ArrayList<>();
        assertTrue(rollback("12", "012_collection_text_lemmatized.mig", env, out), String.join("\n", out));
        try (Connection c = Pg.connect(pg)) {
            Map<String, Map<String, Object>> after = rows(c, "SELECT id::text, payload::text AS payload FROM mem0");
            assertEquals(before.size() + 1, after.size(), String.join("\n", out));
            before.forEach((id, row) -> assertEquals(row, after.get(id)));
            assertTrue(String.valueOf(after.get("00000000-0000-0000-0000-000000000012").get("payload")).contains("from mem0 2.x"));
        }
    }

    /** 013 only copies: it took no backup, so there is nothing to roll back, and mig says so. */
    @Test
    void rollbackOf013SaysThereIsNothingToRollBack() throws Exception {
        Path ts = dir.resolve("memory.db");
        try (Connection h = sqlite(ts)) {
            new TsMem0(h, new Payloads(), 2, 8).run(50);
        }
        Map<String, String> env = Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + ts,
                "MEM0_HISTORY_URL", "jdbc:sqlite:" + dir.resolve("history.db"));
        applied(dir, "013_ts_history_to_python_history.mig", env);
        List<String> out = new ArrayList<>();
        assertEquals(false, rollback("13", "013_ts_history_to_python_history.mig", env, out));
        assertTrue(String.join("\n", out).contains("nothing to roll back: no backup was taken by migration 13"), String.join("\n", out));
    }

    /** What current mem0 writes to the cut-over table in the test above. */
    private static final class CurrentMem0Like {
        static void add(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO history (id, old_memory, new_memory, event, created_at) "
                        + "VALUES ('c', 'coffee', 'milk', 'UPDATE', '2024-07-03T08:00:00+00:00')");
            }
        }
    }

    private void check(String script, String version, String variable, Store store, String oldColumn, String newColumn,
                       String timeColumn) throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            store.make(c);
        }
        String columnsBefore;
        Map<String, Map<String, Object>> before;
        try (Connection c = sqlite(db)) {
            columnsBefore = rows(c, "SELECT name FROM pragma_table_info('history') ORDER BY cid").keySet().toString();
            before = rows(c, "SELECT * FROM history");
        }
        Map<String, String> env = new HashMap<>(Map.of(variable, "jdbc:sqlite:" + db));
        applied(dir, script, env);

        // current mem0 writes to the cut-over table: new events of an old memory and of a new one
        Instant now = Instant.parse("2026-11-30T09:15:00Z");
        List<String> written = new ArrayList<>();
        try (Connection c = sqlite(db)) {
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'history_g2'"), "cut over");
            for (int i = 0; i < 25; i++) {
                String id = "after-cutover-" + i;
                CurrentMem0.addHistory(c, id, "memory-" + (i % 5), i == 0 ? null : "text " + (i - 1), "text " + i,
                        i == 0 ? "ADD" : "UPDATE", PyTime.utc(now.plusSeconds(i)), PyTime.utc(now.plusSeconds(i)), 0);
                written.add(id);
            }
        }

        List<String> out = new ArrayList<>();
        env.put("MIG_OUT", dir.resolve("out").toString());
        String text = Files.readString(Path.of("scripts/mem0", script));
        boolean ok = RollbackRunner.run(version, List.of(new ScriptSource("scripts/mem0/" + script, text)),
                new RunOptions(false, env, dir, out::add));
        String printed = String.join("\n", out);
        assertTrue(ok, printed);
        assertTrue(printed.contains("the new table is kept as history_after_v" + version), printed);
        assertTrue(printed.contains("25 rows added"), printed);

        try (Connection c = sqlite(db)) {
            assertEquals(columnsBefore, rows(c, "SELECT name FROM pragma_table_info('history') ORDER BY cid").keySet().toString(),
                    "the legacy columns are back");
            Map<String, Map<String, Object>> after = rows(c, "SELECT * FROM history");
            for (Map.Entry<String, Map<String, Object>> e : before.entrySet()) {
                assertEquals(e.getValue(), after.get(e.getKey()), "a legacy row comes back exactly as it was");
            }
            assertEquals(before.size() + written.size(), after.size());
            for (int i = 0; i < written.size(); i++) {
                Map<String, Object> row = after.get(written.get(i));
                assertEquals("text " + i, row.get(newColumn), "carried back in the legacy column");
                assertEquals(i == 0 ? null : "text " + (i - 1), row.get(oldColumn));
                assertEquals(PackRun.instant(PyTime.utc(now.plusSeconds(i))), PackRun.instant(row.get(timeColumn)));
            }
            assertEquals(before.size() + written.size(), count(c, "SELECT count(*) FROM history_after_v" + version),
                    "the new table is kept");
        }
    }
}
