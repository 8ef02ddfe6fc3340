package dev.mig.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.LegacyData;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REPL core through its IO seam: strings in, strings out, against a real SQLite history.db. */
class ReplCoreTest {
    @TempDir
    Path dir;

    private final List<String> out = new ArrayList<>();
    private ReplCore repl;
    private Path history;

    @BeforeEach
    void open() throws Exception {
        history = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + history)) {
            LegacyData.historyG0(c, 300, 5);
        }
        repl = new ReplCore(out::add, new RunOptions(false, Map.of("HOME", dir.toString()), dir, out::add));
    }

    private String type(String... lines) {
        out.clear();
        for (String line : lines) {
            repl.accept(line);
        }
        return String.join("\n", out);
    }

    @Test
    void aStatementLeftOpenContinuesAndRunsWhenComplete() {
        type("connect legacy 'jdbc:sqlite:" + history + "'");
        type("sql legacy '''CREATE TABLE g2 (");
        assertEquals("...> ", repl.prompt());
        String done = type("  id TEXT PRIMARY KEY, old TEXT, at TEXT)'''");
        assertTrue(done.contains("done"), done);
        assertEquals("mig> ", repl.prompt());
        type("map legacy.history -> legacy.g2 {", "  id -> id", "  prev_value ->");
        assertEquals("...> ", repl.prompt());
        String mapped = type("    old", "  utc(timestamp) -> at", "}");
        assertTrue(mapped.contains("read 300, written 300, rejected 0"), mapped);
        assertTrue(ReplCore.incomplete("map a.t -> b.u {"));
        assertFalse(ReplCore.incomplete("connect x"));
    }

    @Test
    void aWrongStatementShowsACaretAndTheSessionGoesOn() {
        String shown = type("connect legacy 'jdbc:sqlite:" + history + "'", "chekcsum legacy.history");
        assertTrue(shown.contains("error: expected a statement (connect, map, checksum, ...), found the name chekcsum "
                + "(did you mean 'checksum'?)\n    chekcsum legacy.history\n    ^^^^^^^^"), shown);
        String failing = type("checksum legacy.histroy");
        assertTrue(failing.contains("error: no table histroy on 'legacy'"), failing);
        assertTrue(failing.contains("\n    checksum legacy.histroy\n             ^^^^^^^^^^^^^^"), failing);
        assertTrue(type("checksum legacy.history").contains("300 rows, digest 300:"));
    }

    @Test
    void exploreInDryModeThenSaveAScriptThatMigRunApplies() throws Exception {
        String before = DigestUtils.sha256Hex(Files.readAllBytes(history));
        type("connect legacy 'jdbc:sqlite:" + history + "'",
                "sql legacy 'CREATE TABLE IF NOT EXISTS g2 (id TEXT PRIMARY KEY, old TEXT, at TEXT)'");
        String dry = type(":dry on", "map legacy.history -> legacy.g2 {", "id -> id", "prev_value -> old", "utc(timestamp) -> at",
                "}", "sample 3 legacy.history -> legacy.g2 seed 1", ":dry off");
        assertTrue(dry.contains("dry-run mode on"), dry);
        assertTrue(dry.contains("3 of 300 rows, seed 1, 3 as mapped"), dry);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + history); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM g2")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the dry map kept nothing");
        }
        Path script = dir.resolve("explored.mig");
        String saved = type(":save " + script + " 4");
        assertTrue(saved.contains("saved 4 statements to " + script + " as migration 4"), saved);
        String text = Files.readString(script);
        assertTrue(text.startsWith("migration 4 'saved from mig repl on "), text);
        assertTrue(text.contains("  prev_value     -> old\n"), text);
        repl.close();
        List<String> run = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, run::add))
                .run(new ScriptSource(script.toString(), text));
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", run));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + history); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM g2 WHERE at LIKE '%+00:00'")) {
            rs.next();
            assertEquals(300, rs.getInt(1));
        }
        assertFalse(before.equals(DigestUtils.sha256Hex(Files.readAllBytes(history))));
    }

    @Test
    void commandsAndPrefixes() throws Exception {
        type("connect legacy 'jdbc:sqlite:" + history + "?password=hunter2'");
        String connections = type(":conn");
        assertTrue(connections.contains("legacy  sqlite    jdbc:sqlite:" + history + "?password=***"), connections);
        assertFalse(connections.contains("hunter2"));
        String tables = type(":tables legacy");
        assertTrue(tables.contains("history  300   history G0 (<= 0.0.9)"), tables);
        assertFalse(tables.contains("mig_audit"), "looking made no table: " + tables);
        String described = type(":describe legacy.history");
        assertTrue(described.contains("timestamp   DATETIME  timestamp"), described);
        assertTrue(described.contains("300 rows; mem0 format: history G0 (<= 0.0.9)"), described);
        assertTrue(type(":d").contains(":d is ambiguous: :describe, :dry"));
        assertTrue(type(":nope").contains("unknown command :nope"));
        assertTrue(type(":help").contains(":save FILE [VERSION]"));
        assertTrue(type(":help map").contains("utc(timestamp) -> created_at"));
        type("checksum legacy.history");
        String list = type(":list");
        assertTrue(list.contains("   1  connect legacy 'jdbc:sqlite:" + history + "?password=***'"), list);
        assertTrue(list.contains("   2  checksum legacy.history"), list);
        String plan = type(":plan");
        assertTrue(plan.contains("checksum legacy.history") && plan.contains("reads:   every row of legacy.history"), plan);
        assertFalse(plan.contains("hunter2"), plan);
        assertTrue(type(":history").contains(":plan"));
        Path loaded = dir.resolve("l.mig");
        Files.writeString(loaded, "assert count(legacy.history) = 300\n");
        assertTrue(type(":load " + loaded).contains("holds"));
        assertTrue(type(":reset").contains("session reset"));
        assertTrue(type(":connections").contains("no connections yet"));
        assertFalse(repl.accept(":q"));
    }

    @Test
    void longLinesAreCutToTheTerminalWidth() {
        List<String> narrow = new ArrayList<>();
        ReplCore small = new ReplCore(new ReplCore.IO() {
            @Override
            public void print(String text) {
                narrow.add(text);
            }

            @Override
            public int width() {
                return 40;
            }
        }, new RunOptions(false, Map.of(), dir, narrow::add));
        small.accept("connect legacy 'jdbc:sqlite:" + history + "'");
        small.accept("inventory legacy");
        for (String text : narrow) {
            for (String line : text.split("\n")) {
                assertTrue(line.length() <= 40, line);
            }
        }
        assertTrue(String.join("\n", narrow).contains("\u2026"));
        small.close();
    }
}
