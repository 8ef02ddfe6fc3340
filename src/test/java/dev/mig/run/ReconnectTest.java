package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PostgreSQL connection lost in the middle of a map (its backends terminated, as an administrator or
 * a failover does; the server restarted): mig reconnects with backoff, the map resumes after what it
 * committed, the checksum proves the table exact, and the audit says what happened. Past the window
 * (set reconnect) the run fails once, saying so. A real server, read with plain SQL.
 */
class ReconnectTest {
    private static final int ROWS = 200_000;

    @TempDir
    Path dir;

    private Path source() throws Exception {
        Path db = dir.resolve("src.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                for (int i = 1; i <= ROWS; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "memory number " + i + " \u00e9\u4e2d");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return db;
    }

    private static String script(Path src, String pg, String extra) {
        return "migration 1 'map through a lost connection'\n"
                + "connect src 'jdbc:sqlite:" + src + "' readonly\n"
                + "connect pg '" + pg + "'\n"
                + extra
                + "set batch 2000\n"
                + "sql pg 'CREATE TABLE IF NOT EXISTS t (id BIGINT PRIMARY KEY, v TEXT)'\n"
                + "map src.t -> pg.t key id {\n  id -> id\n  v -> v\n}\n"
                + "checksum src.t -> pg.t\n";
    }

    private ScriptRunner.Outcome run(String script, List<String> out) {
        return new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("r.mig").toString(), script));
    }

    /** Waits until the target holds some rows (the map is under way), then does {@code what} once. */
    private static Thread midMap(String admin, String database, ThrowingRunnable what, AtomicReference<Throwable> failed) {
        Thread t = new Thread(() -> {
            try {
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    try (Connection c = DriverManager.getConnection(admin.replace("/postgres?", "/" + database + "?"));
                         Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                        rs.next();
                        if (rs.getLong(1) >= 20_000) {
                            what.run();
                            return;
                        }
                    } catch (SQLException notYet) {
                        // the table is not there yet
                    }
                    Thread.sleep(20);
                }
                throw new AssertionError("the map never got under way");
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void assertExact(String pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id), min(id), max(id), "
                     + "sum(CASE WHEN v = 'memory number ' || id || ' \u00e9\u4e2d' THEN 1 ELSE 0 END) FROM t")) {
            rs.next();
            assertEquals(List.of((long) ROWS, (long) ROWS, 1L, (long) ROWS, (long) ROWS),
                    List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        }
    }

    /** In key slices (mig's choice at this size) and in one stream whose batches a thread of their own writes. */
    @ParameterizedTest
    @ValueSource(strings = {"", "set parallel 1\n"})
    void backendsTerminatedMidMapReconnectAndResume(String settings) throws Exception {
        Path src = source();
        String pg = Pg.newDatabase();
        String database = pg.substring(pg.lastIndexOf('/') + 1, pg.indexOf('?'));
        String admin = Pg.server().getJdbcUrl("postgres", "postgres");
        List<Integer> terminated = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread killer = midMap(admin, database, () -> {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "
                         + "WHERE application_name = 'mig' AND datname = '" + database + "'")) {
                while (rs.next()) {
                    terminated.add(rs.getInt(1));
                }
            }
        }, failed);
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = run(script(src, pg, settings), out);
        killer.join();
        String text = String.join("\n", out);
        assertEquals(null, failed.get());
        assertTrue(!terminated.isEmpty(), "backends were terminated");
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, text);
        assertTrue(text.matches("(?s).*line \\d+: connections? '?pg'?.* lost \\(SQLSTATE (57P01|08\\d\\d\\d)[^)]*\\); reconnected after.*"), text);
        assertTrue(text.contains("checksum src.t -> pg.t: " + ROWS + " matched, 0 mismatched"), text);
        assertTrue(text.matches("(?s).*map src.t -> pg.t: .*resumed (where an earlier, interrupted run stopped|after key \\[\\d+\\] "
                + "committed by an earlier, interrupted run).*"),
                "the map went on after what it had committed: " + text);
        assertExact(pg);
        try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM mig_audit WHERE outcome = 'reconnected'")) {
            rs.next();
            assertTrue(rs.getLong(1) >= 1, "the reconnect is in mig_audit");
        }
        assertTrue(Files.readString(dir.resolve("r.audit.jsonl")).contains("\"reconnected\""), "and in the audit file");
    }

    @Test
    void aServerRestartMidMapIsWaitedFor() throws Exception {
        Path src = source();
        Path data = Files.createDirectories(dir.resolve("pgdata"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedPostgres[] server = {EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPort(port).start()};
        try {
            String pg = server[0].getJdbcUrl("postgres", "postgres");
            AtomicReference<Throwable> failed = new AtomicReference<>();
            long[] downMs = {0};
            Thread restarter = midMap(pg, "postgres", () -> {
                long t0 = System.currentTimeMillis();
                server[0].close();
                Thread.sleep(1500);
                server[0] = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
                downMs[0] = System.currentTimeMillis() - t0;
            }, failed);
            List<String> out = new ArrayList<>();
            ScriptRunner.Outcome outcome = run(script(src, pg, ""), out);
            restarter.join();
            String text = String.join("\n", out);
            assertEquals(null, failed.get());
            assertEquals(ScriptRunner.Outcome.APPLIED, outcome, text);
            assertTrue(text.contains("reconnected after"), text);
            assertTrue(downMs[0] >= 1500, "the server was down for a while: " + downMs[0] + " ms");
            assertExact(pg);
            System.out.println("restart mid-map: server down " + downMs[0] + " ms; " + text.lines()
                    .filter(l -> l.contains("reconnected")).findFirst().orElse(""));
        } finally {
            server[0].close();
        }
    }

    @Test
    void pastTheWindowTheRunFailsOnceAndSaysSo() throws Exception {
        Path src = source();
        Path data = Files.createDirectories(dir.resolve("pgdata"));
        EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        String pg = server.getJdbcUrl("postgres", "postgres");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread stopper = midMap(pg, "postgres", server::close, failed);
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = run(script(src, pg, "set reconnect 3\n"), out);
        stopper.join();
        String text = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.FAILED, outcome, text);
        assertTrue(text.contains("and not back within 3 s (set reconnect;"), text);
        assertTrue(Files.readString(dir.resolve("r.audit.jsonl")).contains("not back within 3 s"), "the audit file has it");
    }
}
