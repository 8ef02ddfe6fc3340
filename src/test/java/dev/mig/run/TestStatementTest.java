package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.check.Linter;
import dev.mig.plan.Planner;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Syntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * test 'command': the application's tests run with the connections in their environment; a pass guards the
 * purge after it, a failure or a timeout stops the run before it; output in a log file and the audit,
 * passwords masked; check warns, plan shows it, a dry run does not run it.
 */
class TestStatementTest {
    @TempDir
    Path dir;

    private long rows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String script(String test) {
        return "migration 1 'tests guard the purge'\n"
                + "connect db 'jdbc:sqlite:" + dir.resolve("t.db") + "?password=${SECRET}'\n"
                + "sql db '''CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b')'''\n"
                + test + "\n"
                + "purge db.t where v = 'a'\n";
    }

    private ScriptRunner.Outcome run(String text, List<String> out, boolean dry) {
        return new ScriptRunner(new RunOptions(dry, Map.of("SECRET", "hunter2"), dir, out::add))
                .run(new ScriptSource(dir.resolve("s.mig").toString(), text));
    }

    @Test
    void aPassGuardsThePurgeAndItsOutputIsKept() throws Exception {
        List<String> out = new ArrayList<>();
        String test = "test 'echo \"checking $MIG_CONN_DB\"; case \"$MIG_CONN_DB\" in jdbc:sqlite:*) exit 0;; esac; exit 1'";
        assertEquals(ScriptRunner.Outcome.APPLIED, run(script(test), out, false), String.join("\n", out));
        assertEquals(1, rows(), "the purge the passing tests guarded ran");
        String text = String.join("\n", out);
        assertTrue(text.contains("passed (exit 0)"), text);
        assertTrue(text.contains("checking jdbc:sqlite:") && text.contains("password=***") && !text.contains("hunter2"), text);
        Path log = dir.resolve("s.test-line4.log");
        assertTrue(Files.readString(log).contains("checking jdbc:sqlite:"), "the whole output is in " + log);
        assertFalse(Files.readString(dir.resolve("s.audit.jsonl")).contains("hunter2"), "no password in the audit");
    }

    @Test
    void aFailureOrATimeoutStopsTheRunBeforeThePurge() throws Exception {
        List<String> out = new ArrayList<>();
        assertEquals(ScriptRunner.Outcome.FAILED, run(script("test 'echo one test failed; exit 3'"), out, false));
        assertTrue(String.join("\n", out).contains("the tests failed (exit 3)") && String.join("\n", out).contains("one test failed"),
                String.join("\n", out));
        assertEquals(2, rows(), "nothing after the failing tests ran");
        out.clear();
        Files.delete(dir.resolve("t.db"));
        long start = System.nanoTime();
        assertEquals(ScriptRunner.Outcome.FAILED, run(script("test 'sleep 30' timeout 1"), out, false));
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "stopped at the limit");
        assertTrue(String.join("\n", out).contains("did not finish within 1 s"), String.join("\n", out));
        assertEquals(2, rows());
    }

    @Test
    void checkPlanAndDryRun() throws Exception {
        var parsed = Syntax.parse("s.mig", script("test 'pytest tests/memory' timeout 300"));
        assertTrue(parsed.ok(), parsed.errors().toString());
        assertTrue(Linter.check(parsed).stream().anyMatch(d -> "runs-code".equals(d.rule())), Linter.check(parsed).toString());
        assertFalse(Linter.check(parsed).stream().anyMatch(d -> "destructive-unguarded".equals(d.rule())), "the test guards the purge");
        assertTrue(Planner.plan(parsed.script()).contains("runs 'pytest tests/memory' (at most 300 s"), Planner.plan(parsed.script()));
        assertEquals("test 'pytest tests/memory' timeout 300", Printer.statement(parsed.script().statements().get(3)));
        List<String> out = new ArrayList<>();
        run(script("test 'exit 1'"), out, true);
        assertTrue(String.join("\n", out).contains("not run in a dry run"), String.join("\n", out));
    }
}
