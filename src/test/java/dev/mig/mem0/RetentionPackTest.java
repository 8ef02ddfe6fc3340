package dev.mig.mem0;

import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.rows;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.mem0.emulation.Stores;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.DueNow;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention pack scripts (017, 018, 019) on stores shaped as mem0 writes them (MEM0.md sections 1-3):
 * what is due goes to a verified archive and out of the table, what is younger than the limit - or of
 * unknown age - stays, a second run with nothing due changes nothing, and a policy that matches every row
 * is refused. Checked with plain SQL and by reading the archive files back without mig.
 */
class RetentionPackTest {
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final Instant now = Instant.now();

    private String utc(int daysAgo) {
        return now.minus(Duration.ofDays(daysAgo)).atOffset(ZoneOffset.UTC).toString().replace("Z", "+00:00");
    }

    static void g2(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT, event TEXT, "
                    + "created_at DATETIME, updated_at DATETIME, is_deleted INTEGER, actor_id TEXT, role TEXT)");
        }
    }

    static void event(Connection c, String id, String memory, String old, String now, String event, Object created, Object updated,
                      int deleted) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO history (id, memory_id, old_memory, new_memory, event, created_at, "
                + "updated_at, is_deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, memory);
            ps.setString(3, old);
            ps.setString(4, now);
            ps.setString(5, event);
            ps.setObject(6, created);
            ps.setObject(7, updated);
            ps.setInt(8, deleted);
            ps.executeUpdate();
        }
    }

    /** Python history: DELETE dated (1.0.8+), undated (before 1.0.8), lowercase (G0, migrated by 001), and live memories. */
    @Test
    void pythonHistoryOfDeletedMemoriesGoesAfterTheLimitAndNeverBefore() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            g2(c);
            // m1: deleted by mem0 before 1.0.8 - the DELETE has no time; its ADD is old
            event(c, "e1a", "m1", null, "m1 text", "ADD", utc(200), null, 0);
            event(c, "e1d", "m1", "m1 text", null, "DELETE", null, null, 1);
            // m2: deleted 100 days ago by 1.0.8+ (created_at = the memory's creation, updated_at = the deletion)
            event(c, "e2a", "m2", null, "secret-m2 text", "ADD", utc(200), utc(200), 0);
            event(c, "e2d", "m2", "secret-m2 text", null, "DELETE", utc(200), utc(100), 1);
            // m3: deleted 10 days ago
            event(c, "e3a", "m3", null, "m3 text", "ADD", utc(200), utc(200), 0);
            event(c, "e3d", "m3", "m3 text", null, "DELETE", utc(200), utc(10), 1);
            // m4, m5: alive, young and old
            event(c, "e4a", "m4", null, "m4 text", "ADD", utc(5), utc(5), 0);
            event(c, "e5a", "m5", null, "m5 text", "ADD", utc(300), null, 0);
            event(c, "e5u", "m5", "m5 text", "m5 new", "UPDATE", utc(300), utc(250), 0);
            // m6: a G0 memory deleted 400 days ago, migrated by 001 (lowercase events, naive time in both columns)
            String naive = NAIVE.format(now.minus(Duration.ofDays(400)));
            event(c, "e6a", "m6", null, "m6 text", "add", naive, naive, 0);
            event(c, "e6d", "m6", "m6 text", null, "delete", naive, naive, 1);
        }
        Map<String, Map<String, Object>> before;
        try (Connection c = sqlite(db)) {
            before = rows(c, "SELECT * FROM history");
        }
        Map<String, String> env = Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db, "MEM0_RETENTION_DAYS", "90");

        // mig plan --due: what the policy would remove now, and nothing written to find out
        Path script = Path.of("scripts/mem0/017_history_retention.mig");
        Map<String, String> withOut = new HashMap<>(env);
        withOut.put("MIG_OUT", dir.resolve("out").toString());
        assertEquals(List.of("line 21: due now: 4 of 11 rows of mem0.history"), DueNow.report(script.toString(),
                Files.readString(script), new RunOptions(false, withOut, dir, line -> { })));
        try (Connection c = sqlite(db)) {
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'mig%'"), "plan --due wrote nothing");
        }

        String first = PackRun.applied(dir, "017_history_retention.mig", env);
        assertTrue(first.contains("4 of 11 rows of mem0.history (by memory_id)"), first);
        assertTrue(first.contains("1 rows without a time of their own seen for the first time"), first);
        try (Connection c = sqlite(db)) {
            assertEquals(Set.of("e1a", "e1d", "e3a", "e3d", "e4a", "e5a", "e5u"), rows(c, "SELECT id FROM history").keySet());
            assertEquals(1, count(c, "SELECT count(*) FROM mig_seen WHERE row_key = '[\"e1d\"]'"), "the undated DELETE, by key only");
            assertEquals(1, count(c, "SELECT count(*) FROM mig_archives WHERE table_name = 'history' AND row_count = 4"));
        }
        Path archives = dir.resolve("out/retention");
        List<Path> files = archiveFiles(archives);
        assertEquals(1, files.size(), files.toString());
        assertEquals(Set.of("e2a", "e2d", "e6a", "e6d"), idsIn(files.get(0), before));
        assertFalse(new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1).contains("secret-m2"),
                "the deleted text is not left in the file (secure_delete, VACUUM)");

        String second = PackRun.applied(dir, "017_history_retention.mig", env);
        assertTrue(second.contains("nothing due: 0 of 7 rows"), second);
        assertEquals(1, archiveFiles(archives).size(), "no file when nothing is due");
        try (Connection c = sqlite(db)) {
            assertEquals(7, count(c, "SELECT count(*) FROM history"));
            // time passes for the registry: the undated DELETE was first seen 91 days ago
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE mig_seen SET first_seen = '" + now.minus(Duration.ofDays(91)) + "'");
            }
        }
        String third = PackRun.applied(dir, "017_history_retention.mig", env);
        assertTrue(third.contains("2 of 7 rows"), third);
        List<Path> now3 = archiveFiles(archives);
        assertEquals(2, now3.size(), now3.toString());
        now3.removeAll(files);
        assertEquals(Set.of("e1a", "e1d"), idsIn(now3.get(0), before), "a new file beside the first: " + now3);
        try (Connection c = sqlite(db)) {
            assertEquals(Set.of("e3a", "e3d", "e4a", "e5a", "e5u"), rows(c, "SELECT id FROM history").keySet());
        }
    }

    @Test
    void aPolicyThatMatchesEveryRowIsRefusedUnlessForced() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            g2(c);
            event(c, "a", "m1", null, "x", "ADD", utc(200), utc(200), 0);
            event(c, "b", "m2", null, "y", "ADD", utc(100), utc(100), 0);
        }
        String script = "connect h 'jdbc:sqlite:" + db + "'\narchive h.history where age_days(created_at) > 30 to '" + dir.resolve("a.jsonl.gz")
                + "'\n";
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("p.mig").toString(), script));
        assertEquals(ScriptRunner.Outcome.FAILED, outcome);
        String text = String.join("\n", out);
        assertTrue(text.contains("p.mig:2:1: error: the policy matches every row of h.history (2): refused, nothing was archived or deleted"),
                text);
        assertFalse(Files.exists(dir.resolve("a.jsonl.gz")));
        try (Connection c = sqlite(db)) {
            assertEquals(2, count(c, "SELECT count(*) FROM history"));
        }
        PackRun.inline(dir, script.replace(".jsonl.gz'", ".jsonl.gz' force"));
        try (Connection c = sqlite(db)) {
            assertEquals(0, count(c, "SELECT count(*) FROM history"));
        }
        assertTrue(Files.exists(dir.resolve("a.jsonl.gz")));
    }

    /** TS memory_history: every DELETE undated, so only the registry ages it. */
    @Test
    void tsHistoryDeletionsAgeFromWhenAPolicyFirstSawThem() throws Exception {
        Path db = dir.resolve("memory.db");
        try (Connection c = sqlite(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE memory_history (id INTEGER PRIMARY KEY AUTOINCREMENT, memory_id TEXT NOT NULL, previous_value TEXT, "
                    + "new_value TEXT, action TEXT NOT NULL, created_at TEXT, updated_at TEXT, is_deleted INTEGER DEFAULT 0)");
            s.execute("INSERT INTO memory_history (memory_id, previous_value, new_value, action, created_at, updated_at, is_deleted) VALUES "
                    + "('a', NULL, 'A', 'ADD', '2025-03-01T10:00:00.000Z', NULL, 0), "
                    + "('a', 'A', NULL, 'DELETE', NULL, NULL, 1), "
                    + "('b', NULL, 'B', 'ADD', '2025-03-01T10:00:00.000Z', NULL, 0)");
        }
        Map<String, String> env = Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + db, "MEM0_RETENTION_DAYS", "30");
        String first = PackRun.applied(dir, "018_ts_history_retention.mig", env);
        assertTrue(first.contains("nothing due"), first);
        try (Connection c = sqlite(db); Statement s = c.createStatement()) {
            assertEquals(3, count(c, "SELECT count(*) FROM memory_history"));
            s.execute("UPDATE mig_seen SET first_seen = '" + now.minus(Duration.ofDays(29)) + "'");
        }
        assertTrue(PackRun.applied(dir, "018_ts_history_retention.mig", env).contains("nothing due"), "29 days are not 30");
        try (Connection c = sqlite(db); Statement s = c.createStatement()) {
            s.execute("UPDATE mig_seen SET first_seen = '" + now.minus(Duration.ofDays(31)) + "'");
        }
        PackRun.applied(dir, "018_ts_history_retention.mig", env);
        try (Connection c = sqlite(db)) {
            assertEquals(Set.of("b"), rows(c, "SELECT memory_id FROM memory_history").keySet());
        }
    }

    /** A pgvector-shaped collection on PostgreSQL: expired memories (mem0's rule: date before today, UTC) after the grace days. */
    @Test
    void expiredMemoriesLeaveTheCollectionOnPostgres() throws Exception {
        String url = Pg.newDatabase();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE mem0 (id uuid PRIMARY KEY, vector real[], payload jsonb)");
            String[][] memories = {
                    {"00000000-0000-0000-0000-000000000001", today.minusDays(40).toString()},
                    {"00000000-0000-0000-0000-000000000002", today.minusDays(20).toString()},
                    {"00000000-0000-0000-0000-000000000003", today.toString()},
                    {"00000000-0000-0000-0000-000000000004", null},
                    {"00000000-0000-0000-0000-000000000005", today.minusDays(31).toString()}};
            for (String[] m : memories) {
                s.execute("INSERT INTO mem0 VALUES ('" + m[0] + "', '{0.25,-1.5}', '{\"data\": \"memory " + m[0].substring(35)
                        + "\", \"user_id\": \"alice\"" + (m[1] == null ? "" : ", \"expiration_date\": \"" + m[1] + "\"") + "}')");
            }
        }
        String out = PackRun.applied(dir, "019_collection_retention_expired.mig", Map.of("MEM0_PG_URL", url, "MEM0_RETENTION_DAYS", "30"));
        assertTrue(out.contains("dead rows vacuumed"), out);
        try (Connection c = Pg.connect(url)) {
            assertEquals(Set.of("00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003",
                    "00000000-0000-0000-0000-000000000004"), new TreeSet<>(rows(c, "SELECT id FROM mem0").keySet()));
        }
        List<Path> files = archiveFiles(dir.resolve("out/retention"));
        assertEquals(1, files.size());
        Set<String> ids = new HashSet<>();
        for (JsonNode line : lines(files.get(0))) {
            ids.add(line.get("id").asText());
            assertEquals("alice", line.get("payload").get("user_id").asText(), line.toString());
        }
        assertEquals(Set.of("00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000005"), ids);
        // with no grace days, every memory mem0 hides goes: the one expiring today stays (mem0 still shows it)
        PackRun.applied(dir, "019_collection_retention_expired.mig", Map.of("MEM0_PG_URL", url, "MEM0_RETENTION_DAYS", "0"));
        try (Connection c = Pg.connect(url)) {
            assertEquals(Set.of("00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004"),
                    new TreeSet<>(rows(c, "SELECT id FROM mem0").keySet()));
        }
    }

    /**
     * The policy beside a process that writes history as mem0's SQLiteManager does (Python sqlite3, default
     * timeout): no write of it fails, every write it committed is still there, and everything due is gone.
     */
    @Test
    void aPolicyRunsBesideALiveWriter() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            Stores.g2(c, Integer.parseInt(System.getenv().getOrDefault("MIG_LIVE_ROWS", "20000")), 41);
        }
        long dueBefore;
        String due = "SELECT count(*) FROM history WHERE memory_id IN (SELECT memory_id FROM history WHERE upper(event) = 'DELETE' "
                + "AND updated_at IS NOT NULL)";
        try (Connection c = sqlite(db)) {
            dueBefore = count(c, due);
        }
        assertTrue(dueBefore > 100, "the store has dated deletions: " + dueBefore);
        Path log = dir.resolve("writes.jsonl");
        Path stop = dir.resolve("stop");
        Path writer = Path.of("src/test/resources/live/mem0_sqlite_writer.py").toAbsolutePath();
        Process app = new ProcessBuilder("python3", writer.toString(), db.toString(), log.toString(), "150", stop.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer.out").toFile()).start();
        String out;
        try {
            Thread.sleep(500);
            out = PackRun.applied(dir, "017_history_retention.mig", Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db,
                    "MEM0_RETENTION_DAYS", "1", "MIG_DEBUG", "1"));
            Thread.sleep(500);
        } finally {
            Files.writeString(stop, "");
            assertTrue(app.waitFor(30, TimeUnit.SECONDS), "the writer stops");
        }
        if (out.contains("running the statement again")) {
            System.out.println(out); // a retried statement is allowed (the retry is exact), and shown
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> writes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            writes.add(json.readTree(line));
        }
        assertTrue(writes.size() > 50, "the application wrote during the run: " + writes.size());
        assertEquals(List.of(), writes.stream().filter(w -> !w.get("ok").asBoolean()).toList(), "no write failed because of mig");
        try (Connection c = sqlite(db); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM history WHERE id = ?")) {
            for (JsonNode w : writes) {
                ps.setString(1, w.get("id").asText());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(1, rs.getLong(1), "write " + w.get("id").asText() + " kept");
                }
            }
            assertEquals(0, count(c, due), "nothing due is left: " + out);
        }
        long archived = 0;
        for (Path f : archiveFiles(dir.resolve("out/retention"))) {
            archived += lines(f).size();
        }
        assertEquals(dueBefore, archived, "every row removed is in the archive: " + out);
        System.out.printf("retention beside a live writer: %d rows archived and removed, %d writes, slowest %.0f ms%n", archived,
                writes.size(), writes.stream().mapToDouble(w -> w.get("ms").asDouble()).max().orElse(0));
    }

    static List<Path> archiveFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.toString().endsWith(".jsonl.gz")).sorted().toList());
        }
    }

    static List<JsonNode> lines(Path gz) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    /** The ids in an archive, each row checked against the table as it was before (every column, same value). */
    private static Set<String> idsIn(Path gz, Map<String, Map<String, Object>> before) throws Exception {
        Set<String> ids = new HashSet<>();
        for (JsonNode line : lines(gz)) {
            String id = line.get("id").asText();
            ids.add(id);
            Map<String, Object> was = before.get(id);
            for (Map.Entry<String, Object> e : was.entrySet()) {
                JsonNode v = line.get(e.getKey());
                assertEquals(e.getValue() == null ? null : e.getValue().toString(), v == null || v.isNull() ? null : v.asText(),
                        id + "." + e.getKey());
            }
        }
        return ids;
    }
}
