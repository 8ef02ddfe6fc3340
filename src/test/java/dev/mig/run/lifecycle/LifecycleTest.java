package dev.mig.run.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.cli.Main;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Interpreter;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import dev.mig.run.session.RunException;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The safe lifecycle end to end, on PostgreSQL and on SQLite: freeze, backup, map while a real
 * application keeps inserting, updating and deleting, replay, checksum, sample, archive, prune,
 * unfreeze; then rollback restores the legacy table exactly as it was, the writes made during the
 * migration included.
 */
class LifecycleTest {
    static final int ROWS = 4000;

    @TempDir
    Path dir;

    /** An application writing to the legacy table from its own connection until stopped. */
    static final class Writer extends Thread {
        private final String url;
        private final boolean sqlite;
        private final List<String> ids;
        private volatile boolean stop;
        final AtomicInteger ops = new AtomicInteger();
        final AtomicReference<Exception> failure = new AtomicReference<>();

        Writer(String url, List<String> ids) {
            this.url = url;
            this.sqlite = url.startsWith("jdbc:sqlite:");
            this.ids = new ArrayList<>(ids);
        }

        @Override
        public void run() {
            Random random = new Random(99);
            try (Connection c = DriverManager.getConnection(url)) {
                if (sqlite) {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA busy_timeout = 20000");
                    }
                }
                int n = 0;
                while (!stop) {
                    int op = random.nextInt(3);
                    if (op == 0 || ids.size() < 10) {
                        String id = "app-" + n++;
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO history VALUES (?, NULL, ?, 'add', ?, 0)")) {
                            ps.setString(1, id);
                            ps.setString(2, "written by the app \uD83D\uDCDD " + n);
                            ps.setString(3, "2026-11-27 10:00:" + String.format("%02d", n % 60));
                            ps.executeUpdate();
                        }
                        ids.add(id);
                    } else if (op == 1) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE history SET prev_value = new_value, "
                                + "new_value = ?, event = 'update' WHERE id = ?")) {
                            ps.setString(1, "updated by the app " + n++);
                            ps.setString(2, ids.get(random.nextInt(ids.size())));
                            ps.executeUpdate();
                        }
                    } else {
                        String id = ids.remove(random.nextInt(ids.size()));
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM history WHERE id = ?")) {
                            ps.setString(1, id);
                            ps.executeUpdate();
                        }
                    }
                    ops.incrementAndGet();
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }

        void finish() throws Exception {
            stop = true;
            join(30_000);
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }

    private String database(String kind) throws Exception {
        String url = kind.equals("postgresql") ? Pg.newDatabase() : "jdbc:sqlite:" + dir.resolve("legacy.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, prev_value TEXT, new_value TEXT, event TEXT, "
                    + "timestamp TEXT, is_deleted INTEGER)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO history VALUES (?, ?, ?, ?, ?, 0)")) {
                for (int i = 0; i < ROWS; i++) {
                    ps.setString(1, String.format("h%05d", i));
                    ps.setString(2, i % 3 == 0 ? null : "old " + i);
                    ps.setString(3, "memory " + i + (i % 100 == 0 ? " \uD83D\uDE00" : ""));
                    ps.setString(4, i % 3 == 0 ? "add" : "update");
                    ps.setString(5, "2024-07-01 10:" + String.format("%02d:%02d", (i / 60) % 60, i % 60));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return url;
    }

    private static List<String> ids(String url) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM history")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "sqlite"})
    void theWholeLifecycleWithAnApplicationWritingThroughout(String kind) throws Exception {
        String url = database(kind);
        String script = """
                migration 1 'lifecycle'
                connect db '%s'
                sql db '''CREATE TABLE history_g2 (id TEXT PRIMARY KEY, old_memory TEXT, new_memory TEXT, event TEXT, created_at TEXT)'''
                freeze db.history
                backup db.history to '%s/backup/history.jsonl.gz'
                set batch 50
                map db.history -> db.history_g2 key id {
                  id             -> id
                  prev_value     -> old_memory
                  new_value      -> new_memory
                  upper(event)   -> event
                  utc(timestamp) -> created_at
                }
                replay db.history -> db.history_g2
                replay db.history -> db.history_g2
                checksum db.history -> db.history_g2
                sample 5 db.history -> db.history_g2 seed 1
                checksum db.history
                archive db.history to '%s/archive/history.jsonl.gz'
                prune db.history
                unfreeze db.history
                rollback
                checksum db.history
                checksum db.history -> db.history_g2
                """.formatted(url, dir, dir);
        ParseResult parsed = Syntax.parse("life.mig", script);
        assertTrue(parsed.ok(), parsed.errors().toString());
        List<String> out = new ArrayList<>();
        Writer writer = new Writer(url, ids(url));
        List<StepResult> results = new ArrayList<>();
        try (Session session = new Session(dir.resolve("life.mig").toString(), new RunOptions(false, Map.of(), dir, out::add))) {
            Interpreter interpreter = new Interpreter(session);
            int opsDuringMap = 0;
            for (Stmt stmt : parsed.script().statements()) {
                if (stmt instanceof Stmt.MapTable) {
                    writer.start();
                    Thread.sleep(200);
                    int before = writer.ops.get();
                    results.add(interpreter.execute(stmt));
                    opsDuringMap = writer.ops.get() - before;
                    Thread.sleep(300); // writes after the map, before replay, are captured too
                    writer.finish();
                    continue;
                }
                results.add(interpreter.execute(stmt));
            }
            assertTrue(opsDuringMap > 0, "the application wrote while the map ran");
        }
        String printed = String.join("\n", out);
        StepResult firstReplay = results.get(7);
        StepResult secondReplay = results.get(8);
        assertTrue(firstReplay.read() >= writer.ops.get(), printed);
        assertEquals(0, secondReplay.read(), "a second replay applies nothing new: " + printed);
        assertTrue(printed.contains(" matched, 0 mismatched, 0 only in db.history, 0 only in db.history_g2"), printed);
        String beforeArchive = results.get(11).digest();
        String afterRollback = results.get(16).digest();
        assertEquals(beforeArchive, afterRollback, "rollback restores the legacy table exactly, with the app's writes\n" + printed);
        assertNotEquals(results.get(4).digest(), afterRollback, "the app's writes are part of the restored state");
        assertTrue(results.get(12).message().contains("rows archived to"), printed);
        assertTrue(printed.contains("table db.history dropped"), printed);
        StepResult finalCompare = results.get(17);
        assertTrue(finalCompare.message().contains("0 mismatched, 0 only in db.history, 0 only in db.history_g2"), printed);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM mig_audit WHERE statement LIKE 'archive%' AND digest = '"
                     + beforeArchive + "'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the audit log records the digest of what archive removed");
        }
    }

    private List<String> runScript(String name, String script, ScriptRunner.Outcome expected) throws Exception {
        List<String> out = new ArrayList<>();
        Path file = dir.resolve(name);
        Files.writeString(file, script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(file.toString(), script));
        assertEquals(expected, outcome, String.join("\n", out));
        return out;
    }

    private String sqliteWithRows(int rows) throws Exception {
        Path db = dir.resolve("small.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n REAL, j JSON)");
            for (int i = 1; i <= rows; i++) {
                s.execute("INSERT INTO t VALUES (" + i + ", 'value " + i + " \u00e9', " + (i * 1.25) + ", '{\"k\": " + i + "}')");
            }
        }
        return "jdbc:sqlite:" + db;
    }

    @Test
    void badBackupFilesAreRefusedAndNothingChanges() throws Exception {
        String url = sqliteWithRows(50);
        runScript("b.mig", "migration 1 'b'\nconnect db '" + url + "'\nbackup db.t to 'b/t.jsonl.gz'\n", ScriptRunner.Outcome.APPLIED);
        Path file = dir.resolve("b/t.jsonl.gz");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        byte[] good = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(good, good.length / 2));
        List<String> truncated = runScript("r1.mig", "migration 2 'r'\nconnect db '" + url + "'\nsql db 'DELETE FROM t WHERE id = 1'\n"
                + "restore db.t from 'b/t.jsonl.gz'\n", ScriptRunner.Outcome.FAILED);
        assertTrue(String.join("\n", truncated).contains("does not match its manifest: sha256 is"), String.join("\n", truncated));
        assertTrue(String.join("\n", truncated).contains("nothing was changed"));

        Files.write(file, good);
        Path manifest = dir.resolve("b/t.jsonl.gz.manifest.json");
        String original = Files.readString(manifest);
        Files.writeString(manifest, original.replace("\"rows\" : 50", "\"rows\" : 49"));
        List<String> edited = runScript("r2.mig", "migration 3 'r'\nconnect db '" + url + "'\nrestore db.t from 'b/t.jsonl.gz'\n",
                ScriptRunner.Outcome.FAILED);
        assertTrue(String.join("\n", edited).contains("50 rows with digest 50:"), String.join("\n", edited));
        assertTrue(String.join("\n", edited).contains("the manifest says 49 rows"), String.join("\n", edited));

        Files.writeString(manifest, original);
        List<String> restored = runScript("r3.mig", "migration 4 'r'\nconnect db '" + url + "'\nrestore db.t from 'b/t.jsonl.gz'\n"
                + "assert count(db.t) = 50 and count(db.t where id = 1 and j = '{\"k\": 1}') = 1\n", ScriptRunner.Outcome.APPLIED);
        assertTrue(String.join("\n", restored).contains("50 rows restored"), String.join("\n", restored));
    }

    @Test
    void anEmptyTableBacksUpAndRestores() throws Exception {
        String url = sqliteWithRows(0);
        List<String> out = runScript("e.mig", "migration 1 'e'\nconnect db '" + url + "'\nbackup db.t to 'e/t.jsonl.gz'\n"
                + "sql db 'INSERT INTO t VALUES (7, ''x'', 1, NULL)'\nrestore db.t from 'e/t.jsonl.gz'\nassert count(db.t) = 0\n",
                ScriptRunner.Outcome.APPLIED);
        assertTrue(String.join("\n", out).contains("0 rows, digest 0:0000000000000000"), String.join("\n", out));
    }

    @Test
    void anUnwritableDirectoryIsAClearErrorAndTheSourceIsIntact() throws Exception {
        String url = sqliteWithRows(10);
        Path locked = Files.createDirectory(dir.resolve("locked"));
        locked.toFile().setWritable(false, false);
        try {
            // root ignores directory permissions: then use a path no one can create files in
            Path target = Files.isWritable(locked) ? Path.of("/proc/mig-cannot-write-here") : locked.resolve("t.jsonl.gz");
            List<String> out = runScript("u.mig", "migration 1 'u'\nconnect db '" + url + "'\nbackup db.t to '" + target + "'\n"
                    + "archive db.t to '" + target + "'\n", ScriptRunner.Outcome.FAILED);
            String printed = String.join("\n", out);
            assertTrue(printed.contains("error: cannot write " + target), printed);
            assertFalse(printed.contains("Exception"), printed);
        } finally {
            locked.toFile().setWritable(true, false);
        }
        List<String> check = runScript("c.mig", "migration 2 'c'\nconnect db '" + url + "'\nassert count(db.t) = 10\n",
                ScriptRunner.Outcome.APPLIED);
        assertTrue(String.join("\n", check).contains("holds"));
    }

    @Test
    void purgeLeavesNoTraceOfTheTextInTheSqliteFile() throws Exception {
        Path db = dir.resolve("p.db");
        String secret = "my-bank-pin-is-8472-and-nobody-knows";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE memories (id INTEGER PRIMARY KEY, data TEXT)");
            for (int i = 0; i < 200; i++) {
                s.execute("INSERT INTO memories VALUES (" + i + ", '" + (i == 42 ? secret : "harmless memory " + i) + "')");
            }
        }
        assertTrue(new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1).contains(secret));
        runScript("p.mig", "migration 1 'p'\nconnect db 'jdbc:sqlite:" + db + "'\nbackup db.memories to 'p/m.jsonl.gz'\n"
                + "purge db.memories where id = 42\n"
                + "assert count(db.memories) = 199\n", ScriptRunner.Outcome.APPLIED);
        assertFalse(new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1).contains(secret),
                "the purged memory is still in the database file");
    }

    @Test
    void migRollbackVersionFromTheCommandLine() throws Exception {
        String url = sqliteWithRows(20);
        Path file = dir.resolve("v7.mig");
        Files.writeString(file, "migration 7 'clean up'\nconnect db '" + url + "'\nfreeze db.t\nbackup db.t to '" + dir
                + "/v7/t.jsonl.gz'\nsql db 'DELETE FROM t WHERE id > 5'\nsql db 'UPDATE t SET v = ''x'''\nunfreeze db.t\n");
        StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(new String[] {"run", file.toString()}, new PrintWriter(out, true), new PrintWriter(out, true)),
                out.toString());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (100, 'after', 0, NULL)"); // not captured: the table is unfrozen
        }
        StringWriter rollback = new StringWriter();
        int code = Main.execute(new String[] {"rollback", "7", file.toString()}, new PrintWriter(rollback, true),
                new PrintWriter(rollback, true));
        assertEquals(0, code, rollback.toString());
        assertTrue(rollback.toString().contains("migration 7 rolled back: db.t: 20 rows restored, 20 queued writes re-applied"),
                rollback.toString());
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(v = 'x') FROM t")) {
            rs.next();
            assertEquals(5, rs.getInt(1), "the script's own captured writes are re-applied too: it ran while frozen");
            assertEquals(5, rs.getInt(2));
        }
        StringWriter status = new StringWriter();
        Main.execute(new String[] {"status", file.toString()}, new PrintWriter(status, true), new PrintWriter(status, true));
        assertTrue(status.toString().contains("pending"), status.toString());
    }

    @Test
    void destructiveStatementsAreRefusedAtRunTimeWithoutAGuard() throws Exception {
        String url = sqliteWithRows(3);
        try (Session session = new Session("g.mig", new RunOptions(false, Map.of(), dir, line -> { }))) {
            Interpreter interpreter = new Interpreter(session);
            for (Stmt stmt : Syntax.parse("g.mig", "connect db '" + url + "'").script().statements()) {
                interpreter.execute(stmt);
            }
            Stmt purge = Syntax.parse("g.mig", "purge db.t").script().statements().get(0);
            RunException e = assertThrows(RunException.class, () -> interpreter.execute(purge));
            assertTrue(e.getMessage().contains("purge of db.t refused: no backup of it"), e.getMessage());
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }
}
