package dev.mig.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.data.Values;
import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Life;
import dev.mig.mem0.emulation.Payloads;
import dev.mig.mem0.emulation.PyMem0;
import dev.mig.mem0.emulation.PyRelease;
import dev.mig.mem0.emulation.Stores;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig watch on stores the pack migrated, then broken the way MEM0.md section 5 says mem0 breaks them:
 * a stale 0.1.x release starting on the file, an old release writing lowercase events and Pacific
 * times, a script left frozen, a backup edited or deleted. Exit codes, JSON, incremental reads, and the
 * Prometheus metrics read over HTTP.
 */
class WatchTest {
    @TempDir
    Path dir;

    private Path migratedG1(String name) throws Exception {
        Path file = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Stores.g1(c, 400, 51);
        }
        String text = Files.readString(Path.of("scripts/mem0/002_history_g1_sqlite.mig"));
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome o = new ScriptRunner(new RunOptions(false, Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + file,
                "MIG_OUT", dir.resolve("out").toString()), dir, out::add))
                .run(new ScriptSource("scripts/mem0/002_history_g1_sqlite.mig", text));
        assertEquals(ScriptRunner.Outcome.APPLIED, o, String.join("\n", out));
        return file;
    }

    private record Result(int code, String out) {
    }

    private Result once(Watch.Format format, String... urls) {
        List<String> out = new ArrayList<>();
        int code = new Watch(out::add, format, dir.resolve("watch.audit.jsonl")).once(List.of(urls));
        return new Result(code, String.join("\n", out));
    }

    @Test
    void aStaleReleaseAndLegacyWritesAreCaughtWithWhatToRun() throws Exception {
        Path file = migratedG1("h.db");
        String url = "jdbc:sqlite:" + file;
        Result healthy = once(Watch.Format.TEXT, url);
        assertEquals(0, healthy.code(), healthy.out());
        assertTrue(healthy.out().contains("healthy"), healthy.out());

        try (Connection c = DriverManager.getConnection(url)) { // a 0.1.x worker starts on it, then current mem0 restarts
            try {
                new PyMem0(c, new Payloads(), PyRelease.V0_1_34, Instant::now, () -> "x").start();
            } catch (PyMem0.Mem0Failure expected) {
                // as mem0 0.1.34-0.1.99 did: renamed, created an empty G1 table, failed the copy
            }
            CurrentMem0.open(c);
        }
        Result broken = once(Watch.Format.TEXT, url);
        assertEquals(1, broken.code(), broken.out());
        assertTrue(broken.out().contains("old_history  orphan-table  400") && broken.out().contains(
                "008b_history_orphans_old_history_g2.mig"), broken.out());
        assertTrue(broken.out().contains("history  rows-vanished  400"), broken.out());

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) { // a hand-made copy
            s.execute("CREATE TABLE history_backup AS SELECT * FROM old_history");
        }
        Result added = once(Watch.Format.TEXT, url);
        assertTrue(added.out().contains("history_backup  schema-drift  1  a table added since the migration"), added.out());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE history_backup");
        }

        Result json = once(Watch.Format.JSON, url);
        for (String line : json.out().split("\n")) {
            var node = Values.parseJson(line);
            assertTrue(node.has("kind") && node.has("table") && node.has("count") && node.has("means"), line);
        }
        assertEquals(2, json.out().split("\n").length, json.out());
    }

    @Test
    void legacyWritesAreCountedReadingOnlyTheNewRows() throws Exception {
        Path file = migratedG1("l.db");
        String url = "jdbc:sqlite:" + file;
        Watcher watcher = new Watcher();
        Watcher.StoreCheck first = watcher.check(url);
        assertTrue(first.findings().isEmpty(), first.findings().toString());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) { // an old release writes
            s.execute("INSERT INTO history (id, memory_id, new_memory, event, created_at, is_deleted) VALUES "
                    + "('old-1', 'm', 'tea', 'add', '2026-12-03 10:00:00.5', 0), "
                    + "('old-2', 'm', 'green tea', 'UPDATE', '2026-12-03T02:00:00-08:00', 0), "
                    + "('new-1', 'm', 'fine', 'ADD', '2026-12-03T10:00:00+00:00', 0)");
        }
        Watcher.StoreCheck second = watcher.check(url);
        assertEquals(3, second.scanned(), "only the three rows added since the migration were read");
        Finding legacy = second.findings().stream().filter(f -> f.kind().equals(Finding.LEGACY_WRITES)).findFirst().orElseThrow();
        assertEquals(2, legacy.count(), legacy.toString());
        assertTrue(legacy.run().contains("007_history_g2_sqlite.mig"), legacy.run());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO history (id, memory_id, new_memory, event, created_at, is_deleted) VALUES "
                    + "('old-3', 'm', 'x', 'delete', NULL, 1)");
        }
        Watcher.StoreCheck third = watcher.check(url);
        assertEquals(1, third.scanned(), "the next check reads only the row added since the one before");
        assertEquals(3, third.findings().stream().filter(f -> f.kind().equals(Finding.LEGACY_WRITES)).findFirst().orElseThrow().count());
    }

    @Test
    void migsOwnLeftoversAreNamed() throws Exception {
        Path file = migratedG1("m.db");
        String url = "jdbc:sqlite:" + file;
        List<String> out = new ArrayList<>();
        String frozen = "migration 9 'left frozen'\nconnect mem0 '" + url + "'\nfreeze mem0.history\n";
        assertEquals(ScriptRunner.Outcome.APPLIED, new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("f.mig").toString(), frozen)), String.join("\n", out));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO history (id, memory_id, new_memory, event, created_at, is_deleted) VALUES "
                    + "('q-1', 'm', 'queued', 'ADD', '2026-12-03T10:00:00+00:00', 0)");
        }
        Path backup = dir.resolve("out/002_history_g1.backup.jsonl.gz");
        Files.write(backup, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        Result r = once(Watch.Format.TEXT, url);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("history  capture-on"), r.out());
        assertTrue(r.out().contains("history  queue-not-drained  1"), r.out());
        assertTrue(r.out().contains("backup-altered") && r.out().contains("002_history_g1.backup.jsonl.gz"), r.out());
        Files.delete(backup);
        assertTrue(once(Watch.Format.TEXT, url).out().contains("backup-missing"));
        Result gone = once(Watch.Format.TEXT, "jdbc:sqlite:" + dir.resolve("nowhere.db"));
        assertEquals(2, gone.code(), gone.out());
    }

    @Test
    void aStoreMigNeverMigratedIsWatchedAgainstWhatInspectSees() throws Exception {
        Path file = dir.resolve("raw.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Stores.g2(c, 300, 52);
        }
        Result r = once(Watch.Format.TEXT, "jdbc:sqlite:" + file);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("never-migrated") && r.out().contains("history  legacy-writes"), r.out());
    }

    /** A PostgreSQL collection: rows an old Python release writes after 006 are read by change position (xmin) only. */
    @Test
    void aPostgresCollectionIsReadFromWhereTheLastCheckStopped() throws Exception {
        Life life;
        try (Connection h = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("h.db"))) {
            life = Stores.g2(h, 600, 53);
        }
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg)) {
            life.store().writeCollection(c, "mem0", true, "real[]", 1);
        }
        String text = Files.readString(Path.of("scripts/mem0/006_collection_payloads.mig"));
        List<String> out = new ArrayList<>();
        assertEquals(ScriptRunner.Outcome.APPLIED, new ScriptRunner(new RunOptions(false, Map.of("MEM0_COLLECTION_URL", pg,
                "MIG_OUT", dir.resolve("out").toString()), dir, out::add))
                .run(new ScriptSource("scripts/mem0/006_collection_payloads.mig", text)), String.join("\n", out));
        Watcher watcher = new Watcher();
        Watcher.StoreCheck first = watcher.check(pg);
        assertTrue(first.findings().isEmpty(), first.findings().toString());
        assertEquals(0, first.scanned(), "nothing changed since the migration");
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) { // mem0 0.0.x adds a memory
            s.execute("INSERT INTO mem0 (id, vector, payload) VALUES ('6f1d3c52-8a11-4f7e-9a55-0d3f1c2b7e12', '{0.1,0.2,0.3,0.4}', "
                    + "'{\"data\": \"likes tea\", \"user_id\": \"alice\", \"created_at\": " + Instant.now().getEpochSecond() + "}')");
        }
        Watcher.StoreCheck second = watcher.check(pg);
        assertEquals(1, second.scanned(), "only the row written since the last check was read");
        Finding legacy = second.findings().stream().filter(f -> f.kind().equals(Finding.LEGACY_WRITES)).findFirst().orElseThrow();
        assertEquals(1, legacy.count());
        assertTrue(legacy.means().contains("epoch created_at") && legacy.means().contains("no hash"), legacy.means());
        assertTrue(legacy.run().contains("006_collection_payloads.mig"), legacy.run());
        assertEquals(0, watcher.check(pg).scanned(), "and the next check reads nothing new");
    }

    /**
     * Memories gone from a collection are told apart from deletions by the history watched with it: mem0
     * writes a DELETE event for each memory it deletes; more rows gone than DELETE events is rows-vanished.
     */
    @Test
    void memoriesGoneWithoutDeleteEventsVanished() throws Exception {
        Path history = migratedG1("hv.db");
        Path collection = dir.resolve("cv.db");
        Life life;
        try (Connection h = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("life.db"))) {
            life = Stores.g2(h, 300, 54);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + collection)) {
            life.store().writeCollection(c, "mem0", false, "TEXT", 1);
        }
        String text = Files.readString(Path.of("scripts/mem0/006_collection_payloads.mig"));
        List<String> out = new ArrayList<>();
        assertEquals(ScriptRunner.Outcome.APPLIED, new ScriptRunner(new RunOptions(false, Map.of("MEM0_COLLECTION_URL",
                "jdbc:sqlite:" + collection, "MIG_OUT", dir.resolve("out").toString()), dir, out::add))
                .run(new ScriptSource("scripts/mem0/006_collection_payloads.mig", text)), String.join("\n", out));
        Watcher watcher = new Watcher();
        Watch watch = new Watch(out::add, Watch.Format.TEXT, dir.resolve("v.audit.jsonl"));
        out.clear();
        assertEquals(0, watch.once(List.of("jdbc:sqlite:" + history, "jdbc:sqlite:" + collection)), String.join("\n", out));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + collection); Statement s = c.createStatement()) {
            s.execute("DELETE FROM mem0 WHERE rowid IN (SELECT rowid FROM mem0 WHERE payload NOT LIKE '%user_identity%' LIMIT 3)");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + history); Statement s = c.createStatement()) {
            s.execute("INSERT INTO history (id, memory_id, old_memory, event, created_at, updated_at, is_deleted) VALUES "
                    + "('del-1', 'm', 'gone', 'DELETE', '2026-12-03T10:00:00+00:00', '2026-12-03T10:00:00+00:00', 1)");
        }
        out.clear();
        assertEquals(1, watch.once(List.of("jdbc:sqlite:" + history, "jdbc:sqlite:" + collection)), String.join("\n", out));
        String report = String.join("\n", out);
        assertTrue(report.contains("mem0  rows-vanished  2") && report.contains("holds 1 DELETE events since"), report);
        out.clear();
        assertEquals(0, new Watch(out::add, Watch.Format.TEXT, dir.resolve("v.audit.jsonl")).once(List.of("jdbc:sqlite:" + collection)),
                "without the history a shrinking collection is not judged: " + String.join("\n", out));
    }

    /** The loop serves Prometheus metrics; a store that cannot be reached is up 0 and the watch goes on. */
    @Test
    void theLoopServesMetricsAndLogsChanges() throws Exception {
        Path file = migratedG1("p.db");
        String url = "jdbc:sqlite:" + file;
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        Path audit = dir.resolve("loop.audit.jsonl");
        Thread loop = new Thread(() -> {
            try {
                new Watch(out::add, Watch.Format.TEXT, audit).loop(List.of(url, "jdbc:sqlite:" + dir.resolve("missing.db")),
                        Duration.ofMillis(200), "127.0.0.1", 0, 40);
            } catch (Exception e) {
                out.add("loop failed: " + e);
            }
        });
        loop.start();
        int port = 0;
        for (int i = 0; i < 100 && port == 0; i++) {
            Thread.sleep(50);
            for (String line : new ArrayList<>(out)) {
                Matcher m = Pattern.compile("metrics on http://127.0.0.1:(\\d+)/metrics").matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
        }
        assertTrue(port > 0, String.join("\n", out));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO history (id, memory_id, new_memory, event, created_at, is_deleted) VALUES "
                    + "('old-1', 'm', 'tea', 'add', '2026-12-03 10:00:00.5', 0)");
        }
        HttpClient http = HttpClient.newHttpClient();
        String metrics = "";
        for (int i = 0; i < 50 && !metrics.contains("kind=\"legacy-writes\""); i++) {
            Thread.sleep(100);
            metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        loop.join(30_000);
        String store = url.replace("\\", "\\\\");
        assertTrue(metrics.contains("mig_watch_up{store=\"" + store + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("mig_watch_up{store=\"jdbc:sqlite:" + dir.resolve("missing.db") + "\"} 0.0"), metrics);
        assertTrue(metrics.contains("mig_watch_rows{store=\"" + store + "\",table=\"history\"} 401.0"), metrics);
        assertTrue(metrics.contains("mig_watch_anomalies{kind=\"legacy-writes\",store=\"" + store + "\",table=\"history\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("mig_watch_last_check_timestamp_seconds{store=\"" + store + "\"}"), metrics);
        String log = String.join("\n", out);
        assertTrue(log.contains("history legacy-writes 1"), "a change of state is one log line: " + log);
        List<String> lines = Files.readAllLines(audit);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"kind\":\"legacy-writes\"")), String.join("\n", lines));
        long changes = lines.stream().filter(l -> l.contains(store.replace("\\\\", "\\")) && l.contains("legacy-writes")).count();
        assertEquals(1, changes, "one audit line for the change, not one per check: " + lines);
    }
}
