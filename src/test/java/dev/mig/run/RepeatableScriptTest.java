package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.check.Linter;
import dev.mig.plan.Planner;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Syntax;
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
 * A {@code repeatable 'description'} script runs on every mig run, after the versioned scripts given
 * with it, and its last run is recorded in mig_history under R:description; status, plan, fmt and
 * check know it; rollback never picks it.
 */
class RepeatableScriptTest {
    @TempDir
    Path dir;

    private static final String REPEATABLE = """
            repeatable 'count the runs'
            connect db 'jdbc:sqlite:${DIR}/r.db'
            sql db 'INSERT INTO runs (n) VALUES (1)'
            """;
    private static final String VERSIONED = """
            migration 1 'make the table'
            connect db 'jdbc:sqlite:${DIR}/r.db'
            sql db 'CREATE TABLE runs (n INTEGER)'
            """;

    @Test
    void runsEveryTimeAfterTheVersionedOnesAndIsRecorded() throws Exception {
        List<String> out = new ArrayList<>();
        RunOptions options = new RunOptions(false, Map.of("DIR", dir.toString()), dir, out::add);
        List<ScriptSource> sources = List.of(new ScriptSource("r.mig", REPEATABLE),
                new ScriptSource("1.mig", VERSIONED));
        assertEquals(List.of(ScriptRunner.Outcome.APPLIED, ScriptRunner.Outcome.APPLIED), new ScriptRunner(options).run(sources),
                String.join("\n", out));
        assertEquals(List.of(ScriptRunner.Outcome.SKIPPED, ScriptRunner.Outcome.APPLIED), new ScriptRunner(options).run(sources),
                String.join("\n", out));
        assertTrue(String.join("\n", out).contains("running repeatable 'count the runs' (r.mig)"), String.join("\n", out));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("r.db")); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM runs")) {
                rs.next();
                assertEquals(2, rs.getInt(1), "the repeatable script ran twice");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, success FROM mig_history ORDER BY version")) {
                assertTrue(rs.next());
                assertEquals("1", rs.getString(1));
                assertTrue(rs.next());
                assertEquals("R:count the runs", rs.getString(1));
                assertEquals(1, rs.getInt(2));
            }
        }
        out.clear();
        assertEquals(0, MigrationStatus.print(sources, options));
        String status = String.join("\n", out);
        assertTrue(status.matches("(?s).*\\nR +runs every time +20\\d\\d-.*r\\.mig +count the runs.*"), status);
        out.clear();
        assertTrue(!RollbackRunner.run("1", List.of(sources.get(0)), options), "a repeatable script has no version to roll back");
    }

    @Test
    void checkPlanAndFmtKnowTheHeader() {
        var parsed = Syntax.parse("r.mig", REPEATABLE);
        assertTrue(parsed.ok());
        assertTrue(Linter.check(parsed).stream().noneMatch(d -> d.message().contains("header")), Linter.check(parsed).toString());
        assertTrue(Planner.plan(parsed.script()).contains("repeatable (runs on every mig run): count the runs"));
        assertEquals("repeatable 'count the runs'", Printer.statement(parsed.script().statements().get(0)));
        var late = Syntax.parse("late.mig", "connect db 'jdbc:sqlite:x.db'\nrepeatable 'late'\n");
        assertTrue(Linter.check(late).stream().anyMatch(d -> d.isError() && d.message().contains("'repeatable' header must be the "
                + "first statement")), Linter.check(late).toString());
    }
}
