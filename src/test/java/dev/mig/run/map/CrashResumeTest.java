package dev.mig.run.map;

import dev.mig.run.Pg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a map, several times: the next run resumes after the last committed
 * page and finishes with exactly the right rows, no duplicates and none missing.
 */
class CrashResumeTest {
    static final int ROWS = 60_000;

    @TempDir
    Path dir;

    @Test
    void killedMapsResumeAndFinishExactly() throws Exception {
        Path legacy = dir.resolve("legacy.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, prev_value TEXT, new_value TEXT, event TEXT, timestamp TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO history VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    ps.setString(1, String.format("%08x", i * 2654435761L & 0xffffffffL));
                    ps.setString(2, i % 2 == 0 ? null : "before " + i);
                    ps.setString(3, "memory number " + i + " \u2728");
                    ps.setString(4, i % 2 == 0 ? "add" : "update");
                    ps.setString(5, "2024-07-01 10:00:00." + String.format("%06d", i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        Path script = dir.resolve("crash.mig");
        Files.writeString(script, """
                migration 1 'a long map, killed and resumed'
                connect legacy 'jdbc:sqlite:%s' readonly
                connect new 'jdbc:sqlite:%s'
                sql new '''CREATE TABLE IF NOT EXISTS history_g2 (id TEXT PRIMARY KEY, old_memory TEXT, new_memory TEXT,
                  event TEXT, created_at TEXT)'''
                set batch 300
                map legacy.history -> new.history_g2 key id {
                  id             -> id
                  prev_value     -> old_memory
                  new_value      -> new_memory
                  upper(event)   -> event
                  utc(timestamp) -> created_at
                }
                checksum legacy.history -> new.history_g2
                """.formatted(legacy, dir.resolve("new.db")));
        Random random = new Random(20261127);
        int killed = 0;
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Process p = start(script);
            // kill at a random moment of the map, not of the JVM's start (a loaded machine starts slowly)
            long started = System.currentTimeMillis();
            while (p.isAlive() && !Files.readString(dir.resolve("run.log")).contains("line 6:")
                    && System.currentTimeMillis() - started < 60_000) {
                Thread.sleep(20);
            }
            if (p.waitFor(200 + random.nextInt(1500), TimeUnit.MILLISECONDS)) {
                outputs.add(Files.readString(dir.resolve("run.log")));
                continue; // finished before the kill: fine, later runs skip it
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);
            killed++;
            outputs.add(Files.readString(dir.resolve("run.log")));
        }
        Process last = start(script);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the final run did not finish");
        String finalOutput = Files.readString(dir.resolve("run.log"));
        assertEquals(0, last.exitValue(), finalOutput);
        String all = String.join("\n----\n", outputs) + "\n----\n" + finalOutput;
        assertTrue(killed >= 2, "at least two runs were killed mid-way:\n" + all);
        assertTrue(all.matches("(?s).*resumed after \\[[0-9a-f]{8}\\] \\(rowid \\d+\\).*"), "a run resumed by rowid after a kill:\n" + all);
        assertTrue(all.contains(ROWS + " matched, 0 mismatched, 0 only in legacy.history, 0 only in new.history_g2"), all);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("new.db")); Statement s = c.createStatement()) {
            s.execute("ATTACH DATABASE '" + legacy + "' AS legacy");
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM history_g2), "
                    + "(SELECT count(*) FROM legacy.history l LEFT JOIN history_g2 g ON g.id = l.id WHERE g.id IS NULL "
                    + "OR g.new_memory IS NOT l.new_value OR g.old_memory IS NOT l.prev_value)")) {
                rs.next();
                assertEquals(ROWS, rs.getInt(1));
                assertEquals(0, rs.getInt(2));
            }
        }
    }

    /**
     * A map inside the database that is not idempotent (it appends to a column in place): killed
     * runs must neither apply a chunk twice nor skip one, on SQLite (one slice) and on PostgreSQL
     * with parallel key slices.
     */
    @Test
    void killedMapsInsideTheDatabaseApplyEveryChunkExactlyOnce() throws Exception {
        Path db = dir.resolve("inplace.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            fillEvents(c, "TEXT");
        }
        killAndResume("jdbc:sqlite:" + db, "set batch 400", () -> DriverManager.getConnection("jdbc:sqlite:" + db));
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg)) {
            fillEvents(c, "TEXT");
        }
        killAndResume(pg, "set batch 40\nset parallel 3", () -> Pg.connect(pg));
    }

    interface Connector {
        Connection open() throws Exception;
    }

    private static final int EVENTS = 150_000;

    private static void fillEvents(Connection c, String type) throws Exception {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE memories (id " + type + " PRIMARY KEY, event TEXT)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO memories VALUES (?, ?)")) {
            for (int i = 0; i < EVENTS; i++) {
                ps.setString(1, String.format("%08x", i * 2654435761L & 0xffffffffL));
                ps.setString(2, "e" + i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
    }

    private void killAndResume(String url, String settings, Connector connector) throws Exception {
        Path script = dir.resolve("inplace-" + Math.abs(url.hashCode()) + ".mig");
        Files.writeString(script, """
                migration 1 'append once, in place'
                connect db '%s'
                %s
                map db.memories -> db.memories key id {
                  event || '!' -> event
                }
                """.formatted(url, settings));
        Random random = new Random(7);
        int killed = 0;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            Process p = start(script);
            // kill once this run has committed something (and a little later, differently each time)
            long before = appended(connector);
            long deadline = System.currentTimeMillis() + 60_000;
            while (p.isAlive() && appended(connector) == before && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            if (!p.waitFor(random.nextInt(300), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                killed++;
            }
            all.append(Files.readString(dir.resolve("run.log"))).append("\n----\n");
        }
        Process last = start(script);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the final run did not finish");
        all.append(Files.readString(dir.resolve("run.log")));
        assertEquals(0, last.exitValue(), all.toString());
        assertTrue(killed >= 2, "at least two runs were killed mid-way:\n" + all);
        assertTrue(all.toString().contains("rows written by SQL in the database"), all.toString());
        assertTrue(all.toString().contains("resumed where an earlier, interrupted run stopped"), all.toString());
        try (Connection c = connector.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(CASE WHEN event = 'e' || "
                     + (url.startsWith("jdbc:sqlite") ? "substr(event, 2, length(event) - 2)" : "substr(event, 2, length(event) - 2)")
                     + " || '!' AND event NOT LIKE '%!!' THEN 1 ELSE 0 END) FROM memories")) {
            rs.next();
            assertEquals(EVENTS, rs.getInt(1));
            assertEquals(EVENTS, rs.getInt(2), "every event has exactly one '!':\n" + all);
        }
    }

    private static long appended(Connector connector) throws Exception {
        try (Connection c = connector.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM memories WHERE event LIKE '%!'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Process start(Path script) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.mig.cli.Main",
                "run", script.toString());
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File(dir.resolve("run.log").toString()));
        return pb.start();
    }
}
