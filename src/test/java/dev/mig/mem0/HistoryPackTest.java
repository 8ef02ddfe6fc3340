package dev.mig.mem0;

import static dev.mig.mem0.PackRun.applied;
import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.currentSpelling;
import static dev.mig.mem0.PackRun.instant;
import static dev.mig.mem0.PackRun.rows;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Payloads;
import dev.mig.mem0.emulation.PyMem0;
import dev.mig.mem0.emulation.PyRelease;
import dev.mig.mem0.emulation.PyTime;
import dev.mig.mem0.emulation.Stores;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python history scripts of the pack on files made by emulations of mem0's own releases
 * (MEM0.md section 1), each hazard checked first in the legacy file and then in the result, with
 * plain SQL and through current mem0's own storage code (CurrentMem0), never with mig's checksum alone.
 */
class HistoryPackTest {
    static final int EVENTS = 1200;
    static final String G0_SELECT = "SELECT id, memory_id, prev_value AS old_memory, new_value AS new_memory, event, "
            + "timestamp AS created_at, timestamp AS updated_at, is_deleted FROM ";
    static final String G1_SELECT = "SELECT id, memory_id, old_memory, coalesce(new_memory, new_value) AS new_memory, event, "
            + "created_at, updated_at, is_deleted FROM ";
    static final String G2_SELECT = "SELECT id, memory_id, old_memory, new_memory, event, created_at, updated_at, is_deleted, "
            + "actor_id, role FROM ";

    @TempDir
    Path dir;

    private Path store(String name, StoreMaker maker) throws Exception {
        Path file = dir.resolve(name);
        try (Connection c = sqlite(file)) {
            maker.make(c);
        }
        Files.copy(file, dir.resolve("pristine-" + name));
        return file;
    }

    interface StoreMaker {
        void make(Connection c) throws Exception;
    }

    private Map<String, Map<String, Object>> legacy(String name, String select) throws Exception {
        try (Connection c = sqlite(dir.resolve("pristine-" + name))) {
            return rows(c, select);
        }
    }

    /** Every legacy row is in the result with every value where current mem0 expects it, instants unchanged. */
    private static void assertCurrent(Map<String, Map<String, Object>> legacy, Map<String, Map<String, Object>> result) {
        for (Map.Entry<String, Map<String, Object>> e : legacy.entrySet()) {
            Map<String, Object> before = e.getValue();
            Map<String, Object> after = result.get(e.getKey());
            assertNotNull(after, "legacy row lost: " + e.getKey());
            String what = e.getKey() + " " + before;
            assertEquals(before.get("memory_id"), after.get("memory_id"), what);
            assertEquals(before.get("old_memory"), after.get("old_memory"), what);
            assertEquals(before.get("new_memory"), after.get("new_memory"), what);
            assertEquals(before.get("event").toString().toUpperCase(), after.get("event"), what);
            for (String t : List.of("created_at", "updated_at")) {
                Object v = after.get(t);
                String text = v instanceof OffsetDateTime o ? PyTime.utc(o.toInstant()) : (String) v;
                assertEquals(currentSpelling(before.get(t)), text, t + " of " + what);
                assertEquals(instant(before.get(t)), instant(text), "same instant: " + what);
            }
            assertEquals(((Number) before.get("is_deleted")).longValue(), ((Number) after.get("is_deleted")).longValue(), what);
        }
    }

    /**
     * Current mem0 opens the file without rebuilding history, returns each memory's events in time
     * order, and a new write lands after them.
     */
    private static void readByCurrentMem0(Path file, Set<String> expectedIds) throws Exception {
        RealMem0.assertEmulationAgrees(file); // mem0's own storage.py, where its source is at hand
        try (Connection c = sqlite(file)) {
            assertFalse(CurrentMem0.wouldRebuild(c), "current mem0 would rebuild history and drop data");
            CurrentMem0.open(c);
            Map<String, Map<String, Object>> all = rows(c, G2_SELECT + "history");
            assertEquals(expectedIds, all.keySet(), "rows after mem0 opened the file");
            Set<Object> memories = new HashSet<>();
            all.values().forEach(r -> memories.add(r.get("memory_id")));
            String someMemory = null;
            for (Object memory : memories) {
                someMemory = (String) memory;
                assertInTimeOrder(CurrentMem0.getHistory(c, someMemory));
            }
            String now = PyTime.utc(Instant.parse("2026-11-30T12:00:00Z"));
            CurrentMem0.addHistory(c, "new-event", someMemory, "x", "y", "UPDATE", now, now, 0);
            List<Map<String, Object>> history = CurrentMem0.getHistory(c, someMemory);
            assertEquals("new-event", history.get(history.size() - 1).get("id"), "a new write comes last");
        }
    }

    /**
     * mem0 orders by created_at as text, then DATETIME(updated_at) (whole seconds): the rows must come
     * in the order of those instants. Rows with a NULL created_at (DELETE before 1.0.8) come first in
     * mem0 itself and are left out of the comparison.
     */
    static void assertInTimeOrder(List<Map<String, Object>> events) {
        Instant lastCreated = null;
        Instant lastUpdated = null;
        for (Map<String, Object> e : events) {
            Instant created = instant(e.get("created_at"));
            if (created == null) {
                continue;
            }
            Instant updated = instant(e.get("updated_at"));
            updated = updated == null ? Instant.MIN : updated.truncatedTo(ChronoUnit.SECONDS);
            boolean ordered = lastCreated == null || created.isAfter(lastCreated)
                    || created.equals(lastCreated) && !updated.isBefore(lastUpdated);
            assertTrue(ordered, "get_history out of time order: " + events);
            lastCreated = created;
            lastUpdated = updated;
        }
    }

    /** False when current mem0's get_history returns some memory's events out of time order. */
    static boolean allInTimeOrder(Connection c) throws Exception {
        for (Object memory : rows(c, "SELECT DISTINCT memory_id FROM history").keySet()) {
            try {
                assertInTimeOrder(CurrentMem0.getHistory(c, (String) memory));
            } catch (AssertionError e) {
                return false;
            }
        }
        return true;
    }

    @Test
    void g0InPlace() throws Exception {
        Path file = store("g0.db", c -> Stores.g0(c, EVENTS, 1));
        Map<String, Map<String, Object>> legacy = legacy("g0.db", G0_SELECT + "history");
        try (Connection c = sqlite(dir.resolve("pristine-g0.db"))) {
            assertTrue(count(c, "SELECT count(*) FROM history WHERE event IN ('add', 'update', 'delete')") == EVENTS);
            assertTrue(count(c, "SELECT count(*) FROM history WHERE timestamp NOT LIKE '%.%'") > 0, "fraction-less naive values");
        }
        applied(dir, "001_history_g0_sqlite.mig", Map.of("MEM0_HISTORY_G0_URL", "jdbc:sqlite:" + file));
        try (Connection c = sqlite(file)) {
            assertCurrent(legacy, rows(c, G2_SELECT + "history"));
        }
        readByCurrentMem0(file, legacy.keySet());
    }

    /** Hazards of a real G1 table: lowercase G0 events, naive text, INTEGER epochs, NULL DELETE timestamps, no fraction. */
    @Test
    void g1InPlaceWithEveryReleasesValues() throws Exception {
        Path file = store("g1.db", c -> Stores.g1(c, EVENTS, 2));
        try (Connection c = sqlite(dir.resolve("pristine-g1.db"))) {
            assertTrue(count(c, "SELECT count(*) FROM history WHERE event IN ('add', 'update', 'delete')") > 0, "lowercase events");
            assertTrue(count(c, "SELECT count(*) FROM history WHERE created_at LIKE '____-__-__ __:__:__%'") > 0, "naive text");
            assertTrue(count(c, "SELECT count(*) FROM history WHERE typeof(created_at) = 'integer'") > 0, "INTEGER epochs");
            assertTrue(count(c, "SELECT count(*) FROM history WHERE event = 'DELETE' AND created_at IS NULL "
                    + "AND updated_at IS NULL") > 0, "NULL timestamps on DELETE");
            assertTrue(count(c, "SELECT count(*) FROM history WHERE event = 'ADD' AND updated_at IS NULL") > 0, "ADD updated_at NULL");
            assertTrue(count(c, "SELECT count(*) FROM history WHERE created_at LIKE '%-07:00' OR created_at LIKE '%-08:00'") > 0);
            assertTrue(count(c, "SELECT count(*) FROM history WHERE typeof(created_at) = 'text' AND created_at NOT LIKE '%.%'") > 0);
        }
        Map<String, Map<String, Object>> legacy = legacy("g1.db", G1_SELECT + "history");
        applied(dir, "002_history_g1_sqlite.mig", Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + file));
        try (Connection c = sqlite(file)) {
            Map<String, Map<String, Object>> result = rows(c, G2_SELECT + "history");
            assertCurrent(legacy, result);
            assertEquals(legacy.size(), result.size());
            assertTrue(count(c, "SELECT count(*) FROM history WHERE created_at IS NULL") > 0, "NULLs stay NULL");
        }
        readByCurrentMem0(file, legacy.keySet());
    }

    /** A G2 table mem0 rebuilt itself: get_history sorts text, so mixed spellings come back out of order. */
    @Test
    void g2WrittenByManyReleasesComesBackInTimeOrder() throws Exception {
        Path file = store("g2.db", c -> Stores.g2(c, EVENTS, 3));
        try (Connection c = sqlite(dir.resolve("pristine-g2.db"))) {
            assertFalse(CurrentMem0.wouldRebuild(c));
            assertTrue(count(c, "SELECT count(*) FROM history WHERE event IN ('add', 'update', 'delete')") > 0);
            assertTrue(count(c, "SELECT count(*) FROM history WHERE created_at LIKE '%+00:00'") > 0, "1.0.7+ UTC");
            assertTrue(count(c, "SELECT count(*) FROM history WHERE typeof(created_at) = 'integer'") > 0);
            assertFalse(allInTimeOrder(c), "the legacy file shows mem0's ordering hazard");
        }
        Map<String, Map<String, Object>> legacy = legacy("g2.db", G2_SELECT + "history");
        applied(dir, "007_history_g2_sqlite.mig", Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + file));
        try (Connection c = sqlite(file)) {
            Map<String, Map<String, Object>> result = rows(c, G2_SELECT + "history");
            assertCurrent(legacy, result);
            for (String id : legacy.keySet()) {
                assertEquals(legacy.get(id).get("actor_id"), result.get(id).get("actor_id"));
                assertEquals(legacy.get(id).get("role"), result.get(id).get("role"));
            }
        }
        readByCurrentMem0(file, legacy.keySet());
    }

    /** mem0 0.0.10's restart bug: the real rows in old_history beside a history mem0 kept writing to. */
    @Test
    void rowsOrphanedInOldHistoryAreRecovered() throws Exception {
        Path file = store("orphan.db", c -> Stores.g1WithOldHistory(c, EVENTS, 4));
        Map<String, Map<String, Object>> orphans = legacy("orphan.db", G1_SELECT + "old_history");
        Map<String, Map<String, Object>> live = legacy("orphan.db", G1_SELECT + "history");
        assertTrue(orphans.size() > 100 && live.size() > 100, orphans.size() + " " + live.size());
        Map<String, String> env = Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + file, "MEM0_HISTORY_URL", "jdbc:sqlite:" + file);
        applied(dir, "002_history_g1_sqlite.mig", env);
        String out = applied(dir, "008_history_orphans_old_history.mig", env);
        assertTrue(out.contains("read " + orphans.size() + ", written " + orphans.size() + ", rejected 0"), out);
        try (Connection c = sqlite(file)) {
            Map<String, Map<String, Object>> result = rows(c, G2_SELECT + "history");
            assertCurrent(orphans, result);
            assertCurrent(live, result);
            assertEquals(orphans.size() + live.size(), result.size(), "no duplicates");
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'old_history'"), "orphan table archived and pruned");
        }
        Set<String> all = new HashSet<>(orphans.keySet());
        all.addAll(live.keySet());
        readByCurrentMem0(file, all);
    }

    /** 0.1.100 - 0.1.106: history_old holds the G1 rows; the G2 history has only what came after. */
    @Test
    void rowsOrphanedInHistoryOldAreRecovered() throws Exception {
        Path file = store("old.db", c -> Stores.g2WithHistoryOld(c, EVENTS, 5));
        Map<String, Map<String, Object>> orphans = legacy("old.db", G1_SELECT + "history_old");
        Map<String, Map<String, Object>> live = legacy("old.db", G2_SELECT + "history");
        assertTrue(orphans.size() > 100 && live.size() > 100);
        Map<String, String> env = Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + file);
        applied(dir, "007_history_g2_sqlite.mig", env);
        applied(dir, "009_history_orphans_history_old.mig", env);
        try (Connection c = sqlite(file)) {
            Map<String, Map<String, Object>> result = rows(c, G2_SELECT + "history");
            assertCurrent(orphans, result);
            assertCurrent(live, result);
            assertEquals(orphans.size() + live.size(), result.size());
        }
        Set<String> all = new HashSet<>(orphans.keySet());
        all.addAll(live.keySet());
        readByCurrentMem0(file, all);
    }

    /** An orphan row whose id history already holds with other values is reported; history's row is kept. */
    @Test
    void anOrphanConflictIsReportedNotGuessed() throws Exception {
        Path file = store("conflict.db", c -> Stores.g1WithOldHistory(c, 400, 6));
        Map<String, String> env = Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + file, "MEM0_HISTORY_URL", "jdbc:sqlite:" + file);
        applied(dir, "002_history_g1_sqlite.mig", env);
        String id;
        try (Connection c = sqlite(file); var s = c.createStatement()) {
            id = (String) rows(c, "SELECT id FROM old_history LIMIT 1").keySet().iterator().next();
            s.execute("INSERT INTO history (id, memory_id, new_memory, event, is_deleted) VALUES ('" + id + "', 'm', 'other', 'ADD', 0)");
        }
        PackRun.Result r = PackRun.run(dir, "008_history_orphans_old_history.mig", env);
        assertEquals(ScriptRunner.Outcome.FAILED, r.outcome(), r.output());
        assertTrue(r.output().contains("rejected 1"), r.output());
        String rejects = Files.readString(dir.resolve("out/008_history_orphans.rejects.jsonl"));
        assertTrue(rejects.contains(id) && rejects.contains("conflict"), rejects);
        try (Connection c = sqlite(file)) {
            assertEquals("other", rows(c, "SELECT id, new_memory FROM history WHERE id = '" + id + "'").get(id).get("new_memory"));
            assertEquals(1, count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'old_history'"), "orphans kept");
        }
    }

    /** What current mem0's own start-up does to a G0 file: four columns survive, values and timestamps are gone. */
    @Test
    void currentMem0WouldEmptyAG0File() throws Exception {
        Path file = store("g0-opened.db", c -> Stores.g0(c, 300, 7));
        try (Connection c = sqlite(file)) {
            assertTrue(CurrentMem0.wouldRebuild(c));
            CurrentMem0.open(c);
            assertEquals(300, count(c, "SELECT count(*) FROM history"));
            assertEquals(300, count(c, "SELECT count(*) FROM history WHERE old_memory IS NULL AND new_memory IS NULL "
                    + "AND created_at IS NULL AND updated_at IS NULL"));
        }
    }

    /**
     * The copy in PostgreSQL (010, repeatable) after 002 made the file current: mem0 keeps reading every
     * event from its SQLite file (nothing frozen, archived or pruned there), the copy is exact, and a
     * second run carries what mem0 wrote since, once.
     */
    @Test
    void theCopyInPostgresLeavesMem0ItsHistoryAndRefreshes() throws Exception {
        Path file = store("copy.db", c -> Stores.g1(c, 800, 8));
        Map<String, Map<String, Object>> legacy = legacy("copy.db", G1_SELECT + "history");
        String pg = Pg.newDatabase();
        Map<String, String> env = Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + file, "MEM0_HISTORY_URL", "jdbc:sqlite:" + file,
                "MEM0_PG_URL", pg);
        applied(dir, "002_history_g1_sqlite.mig", env);
        String first = applied(dir, "010_history_copy_to_postgres.mig", env);
        assertTrue(first.contains("read " + legacy.size() + ", written " + legacy.size() + ", rejected 0"), first);
        try (Connection s = sqlite(file); Connection c = Pg.connect(pg)) {
            assertEquals(1, count(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'history'"));
            assertEquals(0, count(s, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), "the capture is removed");
            assertCurrent(legacy, rows(c, G2_SELECT + "history"));
            assertEquals(rows(s, G2_SELECT + "history").keySet(), rows(c, G2_SELECT + "history").keySet());
        }
        Set<String> ids = new HashSet<>(legacy.keySet());
        readByCurrentMem0(file, ids); // mem0 reads its file, then adds one event ("new-event")
        try (Connection s = sqlite(file)) {
            String now = PyTime.utc(Instant.parse("2026-12-01T09:00:00Z"));
            for (int i = 0; i < 5; i++) {
                CurrentMem0.addHistory(s, "later-" + i, "m-later", null, "written after the copy " + i, "ADD", now, now, 0);
            }
        }
        String second = applied(dir, "010_history_copy_to_postgres.mig", env);
        assertTrue(second.contains("running repeatable"), second);
        try (Connection s = sqlite(file); Connection c = Pg.connect(pg)) {
            Map<String, Map<String, Object>> file2 = rows(s, G2_SELECT + "history");
            Map<String, Map<String, Object>> copy = rows(c, G2_SELECT + "history");
            assertEquals(legacy.size() + 6, file2.size());
            assertEquals(file2.keySet(), copy.keySet(), "the copy holds exactly the file's events, none twice");
            assertEquals("written after the copy 3", copy.get("later-3").get("new_memory"));
            assertEquals(1, count(c, "SELECT count(*) FROM mig_history WHERE version LIKE 'R:%' AND success = 1"));
        }
        List<String> inspected = new ArrayList<>();
        new Inspector(inspected::add).inspect(List.of(pg));
        assertTrue(String.join("\n", inspected).contains("no Python mem0 release reads history here"), String.join("\n", inspected));
    }

    /**
     * A user who ran the retired 003b/004b/010b: the SQLite table was archived and pruned, and current
     * mem0 has since written new events into a fresh table. One command brings every archived event back
     * into the file mem0 reads, beside the new ones, in mem0's current form.
     */
    @Test
    void recoveryFromTheRetiredFinishStepOfG0() throws Exception {
        recover("recover_003b_history_g0.mig", c -> Stores.g0(c, 500, 21), G0_SELECT);
    }

    @Test
    void recoveryFromTheRetiredFinishStepOfG1() throws Exception {
        recover("recover_004b_history_g1.mig", c -> Stores.g1(c, 500, 22), G1_SELECT);
    }

    @Test
    void recoveryFromTheRetiredFinishStepOfG2() throws Exception {
        recover("recover_010b_history_g2.mig", c -> Stores.g2(c, 500, 23), G2_SELECT);
    }

    private void recover(String script, StoreMaker maker, String select) throws Exception {
        Path file = store("pruned.db", maker);
        Map<String, Map<String, Object>> legacy = legacy("pruned.db", select + "history");
        Path archive = dir.resolve("archive.jsonl.gz");
        // what the retired finish step did to the file: archive to a verified file, then prune
        PackRun.inline(dir, "migration 99 'as the retired finish step'\nconnect legacy 'jdbc:sqlite:" + file + "'\n"
                + "archive legacy.history to '" + archive + "' force\nprune legacy.history\n");
        try (Connection c = sqlite(file)) {
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'history'"));
            CurrentMem0.open(c); // current mem0 starts: an empty G2 history ...
            String now = PyTime.utc(Instant.parse("2026-12-02T10:00:00Z"));
            for (int i = 0; i < 3; i++) { // ... and writes new events there
                CurrentMem0.addHistory(c, "since-" + i, "m-since", null, "since the prune " + i, "ADD", now, now, 0);
            }
        }
        String out = PackRun.applied(dir, "../mem0-recovery/" + script, Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + file,
                "MEM0_HISTORY_ARCHIVE", archive.toString()));
        assertTrue(out.contains(legacy.size() + " rows restored"), out);
        try (Connection c = sqlite(file)) {
            Map<String, Map<String, Object>> result = rows(c, G2_SELECT + "history");
            assertCurrent(legacy, result);
            assertEquals(legacy.size() + 3, result.size());
            assertEquals("since the prune 2", result.get("since-2").get("new_memory"));
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'history_pruned_by_%'"));
        }
        Set<String> ids = new HashSet<>(legacy.keySet());
        ids.addAll(Set.of("since-0", "since-1", "since-2"));
        readByCurrentMem0(file, ids);
    }

    /**
     * A cut-over while an old release still writes: a 0.0.x process's writes fill prev_value, which G2
     * lacks, so each of its writes fails after the switch (mem0 0.0.x storage: "table history has no
     * column named prev_value"); a 0.1.x process's writes fit G2 but it must not restart on its release.
     * The cut-over says which, from the writes queued while the table was frozen.
     */
    @Test
    void theCutOverNamesAnOldReleaseStillWriting() throws Exception {
        Path g0 = store("writing-g0.db", c -> Stores.g0(c, 50, 25));
        String g0Out = PackRun.inline(dir, cutOverWhileWriting(g0, "INSERT INTO history (id, memory_id, prev_value, new_value, "
                + "event, timestamp, is_deleted) VALUES ('w1', 'm', 'a', 'b', 'update', '2024-07-20 10:00:00.5', 0)", "prev_value"));
        assertTrue(g0Out.contains("WARNING: 1 writes reached history while it was frozen") && g0Out.contains("with new_value, prev_value, "
                + "timestamp, which the new table does not have: from now on each of its writes fails"), g0Out);
        Path g1 = store("writing-g1.db", c -> Stores.g1(c, 50, 26));
        String g1Out = PackRun.inline(dir, cutOverWhileWriting(g1, "INSERT INTO history (id, memory_id, old_memory, new_memory, "
                + "event, created_at, updated_at, is_deleted) VALUES ('w1', 'm', 'a', 'b', 'UPDATE', '2025-01-02T10:00:00-08:00', "
                + "'2025-01-02T10:00:00-08:00', 0)", "coalesce(new_memory, new_value)"));
        assertTrue(g1Out.contains("its writes fit the new table, but do not restart it on the release that made the old table"), g1Out);
        Path quiet = store("quiet-g1.db", c -> Stores.g1(c, 50, 27));
        String quietOut = PackRun.inline(dir, cutOverWhileWriting(quiet, null, "coalesce(new_memory, new_value)"));
        assertFalse(quietOut.contains("WARNING"), quietOut);
    }

    private static String cutOverWhileWriting(Path file, String write, String newMemory) {
        boolean g0 = newMemory.equals("prev_value");
        return "migration 1 'cut-over while writing'\nconnect mem0 'jdbc:sqlite:" + file + "'\nfreeze mem0.history\n"
                + (write == null ? "" : "sql mem0 \'\'\'" + write + "\'\'\'\n")
                + "sql mem0 'CREATE TABLE history_g2 (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT, event TEXT, "
                + "created_at DATETIME, updated_at DATETIME, is_deleted INTEGER, actor_id TEXT, role TEXT)'\n"
                + "map mem0.history -> mem0.history_g2 key id {\n id -> id\n memory_id -> memory_id\n"
                + (g0 ? " prev_value -> old_memory\n new_value -> new_memory\n utc(timestamp) -> created_at\n utc(timestamp) -> updated_at\n"
                        : " old_memory -> old_memory\n " + newMemory + " -> new_memory\n utc(created_at) -> created_at\n"
                        + " utc(updated_at) -> updated_at\n")
                + " upper(event) -> event\n is_deleted -> is_deleted as int default 0\n}\n"
                + "replay mem0.history -> mem0.history_g2\nchecksum mem0.history -> mem0.history_g2\n"
                + "cutover mem0.history -> mem0.history_g2\n";
    }

    /**
     * After 002, a stale mem0 0.1.x process starts on the file (MEM0.md section 5): it renames the G2
     * history to old_history, creates an empty G1 table and fails; current mem0's next start rebuilds it
     * empty. inspect names 008b (not 008, which needs G1's new_value), and 008b brings every event back
     * where current mem0 reads it. With MIG_MEM0_OLD_STORAGE (v0.1.98's storage.py) the stale start is
     * mem0's own code.
     */
    @Test
    void aStaleReleaseStartingOnAMigratedFileIsRecoveredBy008b() throws Exception {
        Path file = store("stale.db", c -> Stores.g1(c, 600, 28));
        Map<String, Map<String, Object>> legacy = legacy("stale.db", G1_SELECT + "history");
        applied(dir, "002_history_g1_sqlite.mig", Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + file));
        Path old = RealMem0.oldStoragePy();
        if (old != null) {
            String started = RealMem0.start(old, file);
            assertTrue(started.startsWith("failed:") && started.contains("prev_value"), "mem0 v0.1.98's own start: " + started);
        } else {
            try (Connection c = sqlite(file)) {
                PyMem0 stale = new PyMem0(c, new Payloads(),
                        PyRelease.V0_1_34, Instant::now, () -> "x");
                Assertions.assertThrows(RuntimeException.class, stale::start, "the stale start fails");
            }
        }
        try (Connection c = sqlite(file)) {
            CurrentMem0.open(c); // current mem0 starts again
            assertEquals(0, count(c, "SELECT count(*) FROM history"), "mem0 now shows no history");
            assertEquals(legacy.size(), count(c, "SELECT count(*) FROM old_history"), "every event orphaned");
            assertEquals(0, count(c, "SELECT count(*) FROM pragma_table_info('old_history') WHERE name = 'new_value'"), "G2-shaped");
        }
        List<String> inspected = new ArrayList<>();
        new Inspector(inspected::add).inspect(List.of("jdbc:sqlite:" + file));
        String text = String.join("\n", inspected);
        assertTrue(text.contains("008b_history_orphans_old_history_g2.mig") && !text.contains("008_history_orphans_old_history.mig"),
                text);
        applied(dir, "008b_history_orphans_old_history_g2.mig", Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + file));
        try (Connection c = sqlite(file)) {
            assertCurrent(legacy, rows(c, G2_SELECT + "history"));
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'old_history'"));
        }
        readByCurrentMem0(file, legacy.keySet());
    }

    /** mem0's own storage.py (MIG_MEM0_SRC) reads a file made current by 002, and its add_history lands after. */
    @Test
    void currentMem0sOwnCodeReadsTheMigratedFile() throws Exception {
        Assumptions.assumeTrue(RealMem0.available(),
                "MIG_MEM0_SRC is not set: mem0's own storage.py is not in this repository (see RealMem0); the emulation ran instead");
        Path file = store("real.db", c -> Stores.g1(c, 600, 24));
        Map<String, Map<String, Object>> legacy = legacy("real.db", G1_SELECT + "history");
        applied(dir, "002_history_g1_sqlite.mig", Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + file));
        Map<String, List<Map<String, Object>>> real = RealMem0.history(file, 3);
        Set<String> seen = new HashSet<>();
        for (List<Map<String, Object>> events : real.values()) {
            for (Map<String, Object> e : events) {
                Map<String, Object> before = legacy.get((String) e.get("id"));
                assertNotNull(before, "an event mem0 returns came from the legacy file: " + e);
                assertEquals(before.get("new_memory"), e.get("new_memory"));
                assertEquals(before.get("event").toString().toUpperCase(), e.get("event"));
                assertEquals(instant(before.get("created_at")), instant(e.get("created_at")));
                seen.add((String) e.get("id"));
            }
        }
        assertEquals(legacy.keySet(), seen, "every legacy event, through mem0's own get_history");
        try (Connection c = sqlite(file)) {
            assertEquals(legacy.size() + 3, count(c, "SELECT count(*) FROM history"), "mem0's add_history landed");
        }
    }
}
