package dev.mig.cli;

import static dev.mig.cli.CliTest.mig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What mig run answers for an applied, a changed and a busy script: exit codes, status, retries, causes. */
class RunOutcomesTest {
    @TempDir
    Path dir;

    @Test
    void anAppliedScriptIsSkippedAndAChangedOneRefusedWithExitThree() throws Exception {
        Path db = dir.resolve("o.db");
        String text = "migration 1 'make t'\nconnect db 'jdbc:sqlite:" + db + "'\nsql db 'CREATE TABLE t (id INTEGER PRIMARY KEY)'\n";
        Path script = dir.resolve("001.mig");
        Files.writeString(script, text);
        CliTest.Result first = mig("run", script.toString());
        assertEquals(0, first.code(), first.out() + first.err());
        CliTest.Result again = mig("run", script.toString());
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("already applied at "), again.out());
        assertTrue(again.out().contains(", skipped"), again.out());

        Files.writeString(script, text + "-- an edit after it was applied\n");
        CliTest.Result changed = mig("run", script.toString());
        assertEquals(3, changed.code(), changed.out());
        assertTrue(changed.out().contains("001.mig:1:1: error: migration 1 was applied at "), changed.out());
        assertTrue(changed.out().contains("an applied migration must not change"), changed.out());
        CliTest.Result status = mig("status", script.toString());
        assertEquals(1, status.code(), status.out());
        assertTrue(status.out().contains("CHANGED"), status.out());
    }

    /** A lock timeout (SQLState 55P03, whatever the server's language) is retried; the statement then succeeds. */
    @Test
    void aStatementBlockedByALockIsRunAgainByItsSqlState() throws Exception {
        String url = Pg.newDatabase();
        try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO t VALUES (1, 'a')");
        }
        CountDownLatch locked = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
                locked.countDown();
                Thread.sleep(1200);
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        holder.start();
        locked.await();
        String text = "migration 1 'update'\nconnect pg '" + url + "'\nsql pg 'SET lock_timeout = ''150ms'''\n"
                + "sql pg 'UPDATE t SET v = ''b'' WHERE id = 1'\n";
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource("lock.mig", text));
        holder.join();
        String printed = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, printed);
        assertTrue(printed.contains("line 4: the database was busy ("), printed);
        assertTrue(printed.contains("running the statement again (2 of 5)"), printed);
        try (Connection c = Pg.connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM t")) {
            rs.next();
            assertEquals("b", rs.getString(1));
        }
    }

    /** The driver's exception stays the cause; MIG_DEBUG prints the chain with its SQLState, passwords masked. */
    @Test
    void aFailureKeepsItsCauseAndMigDebugShowsIt() throws Exception {
        String url = Pg.newDatabase();
        String text = "migration 1 'bad sql'\nconnect pg '" + url + "'\nsql pg 'SELECT * FROM no_such_table'\n";
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of("MIG_DEBUG", "1"), dir, out::add))
                .run(new ScriptSource("bad.mig", text));
        String printed = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.FAILED, outcome, printed);
        assertTrue(printed.contains("bad.mig:3:1: error: SQL failed on 'pg': "), printed);
        assertTrue(printed.contains("Caused by: dev.mig.db.DatabaseException"), printed);
        assertTrue(printed.contains("Caused by: org.postgresql.util.PSQLException"), printed);
        List<String> quiet = new ArrayList<>();
        new ScriptRunner(new RunOptions(false, Map.of(), dir, quiet::add)).run(new ScriptSource("bad2.mig",
                text.replace("migration 1", "migration 2")));
        assertTrue(quiet.stream().noneMatch(l -> l.contains("Caused by")), String.join("\n", quiet));
    }
}
