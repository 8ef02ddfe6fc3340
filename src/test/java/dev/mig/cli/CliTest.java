package dev.mig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result mig(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void versionAndHelp() {
        Result version = mig("--version");
        assertEquals(0, version.code());
        // version, then the commit and build time, then the Java runtime: what a bug report needs
        assertTrue(version.out().matches("mig \\S+\\ncommit ([0-9a-f]{10}( \\(with uncommitted changes\\))?|unknown \\(built outside a git checkout\\)), built \\S+Z\\n"
                + "Java \\S+.*, runtime /\\S+, \\S+ \\S+\\n"), version.out());
        Result help = mig("--help");
        assertEquals(0, help.code());
        for (String command : new String[] {"check", "plan", "fmt"}) {
            assertTrue(help.out().contains(command), help.out());
        }
        for (String command : new String[] {"run", "report", "demo", "repl"}) { // each command's own --help, as a user types it
            Result own = mig(command, "--help");
            assertEquals(0, own.code(), own.err());
            assertTrue(own.out().startsWith("Usage: mig " + command + " "), own.out());
        }
    }

    @Test
    void checkReportsEveryProblemWithPositionsAndExitsOne() throws IOException {
        Path file = write("bad.mig", "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nchecksum b.t\nmap a.t -> a.u { x -> }\n");
        Result r = mig("check", "--no-source", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains(file + ":3:10: error: unknown connection 'b'"), r.out());
        assertTrue(r.out().contains(file + ":4:23: error: in 'map': expected a name, found '}'"), r.out());
        assertTrue(r.out().contains("2 errors, 0 warnings in 1 file"), r.out());
    }

    @Test
    void checkShowsTheSourceLineAndACaret() throws IOException {
        Path file = write("bad.mig", "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nassert count(a.t) = = 1\n");
        Result r = mig("check", "--source", file.toString());
        assertTrue(r.out().contains("    assert count(a.t) = = 1\n                        ^\n"), r.out());
    }

    @Test
    void checkPassesAGoodScriptAndTheShippedPack() throws IOException {
        Path file = write("ok.mig", "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\ninventory a\n");
        Result r = mig("check", file.toString());
        assertEquals(0, r.code(), r.out());
        assertEquals("", r.out());
        assertEquals(0, mig("check", "scripts/mem0").code());
    }

    @Test
    void warningsAloneExitZero() throws IOException {
        Path file = write("nohead.mig", "connect a 'jdbc:sqlite:a.db'\ninventory a\n");
        Result r = mig("check", "--no-source", file.toString());
        assertEquals(0, r.code());
        assertTrue(r.out().contains(":1:1: warning: no 'migration' header"), r.out());
    }

    @Test
    void planIsDeterministicAndHidesPasswords() throws IOException {
        Path file = write("p.mig", "migration 4 'move'\nconnect pg 'jdbc:postgresql://u:topsecret@db/x?password=hunter2&ssl=true'\n"
                + "backup pg.history to 'b.jsonl.gz'\nprune pg.history.prev_value\n");
        Result first = mig("plan", file.toString());
        Result second = mig("plan", file.toString());
        assertEquals(0, first.code(), first.err());
        assertEquals(first.out(), second.out());
        assertFalse(first.out().contains("hunter2") || first.out().contains("topsecret"), first.out());
        assertTrue(first.out().contains("jdbc:postgresql://u:***@db/x?password=***&ssl=true"), first.out());
        assertTrue(first.out().contains("prune pg.history.prev_value   [DESTRUCTIVE]"), first.out());
        assertTrue(first.out().contains("2 steps, destructive: 2"), first.out());
    }

    @Test
    void checkNeverShowsAPasswordInTheSourceLine() throws IOException {
        Path file = write("pw.mig", "migration 1 'x'\nconnect pg 'jdbc:postgresql://db/x?user=u&password=hunter2' readonly\n");
        Result r = mig("check", "--source", file.toString());
        assertTrue(r.out().contains("warning: a password is written in the script"), r.out());
        assertTrue(r.out().contains("password=***"), r.out());
        assertFalse(r.out().contains("hunter2"), r.out());
    }

    @Test
    void planRefusesAScriptWithErrors() throws IOException {
        Path file = write("p.mig", "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\npurge a.t\n");
        Result r = mig("plan", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("purge of a.t needs an earlier 'backup a.t to ...'"), r.err());
    }

    @Test
    void fmtRewritesAndCheckModeDetects() throws IOException {
        Path file = write("f.mig", "MIGRATION 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nmap a.t -> a.u {\nid -> id\nupper(e) -> e\n}\n");
        Result check = mig("fmt", "--check", file.toString());
        assertEquals(1, check.code());
        assertTrue(check.out().contains("not formatted"), check.out());
        assertEquals(0, mig("fmt", file.toString()).code());
        assertEquals("migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nmap a.t -> a.u {\n  id       -> id\n  upper(e) -> e\n}\n",
                Files.readString(file));
        assertEquals(0, mig("fmt", "--check", file.toString()).code());
        assertEquals(0, mig("fmt", "--check", "scripts/mem0").code(), "the shipped pack is formatted");
    }

    @Test
    void unreadableFileIsOneClearLine() {
        Result r = mig("check", dir.resolve("missing.mig").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("mig: cannot read "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    static Result migFully(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.executeFully(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theQuickStartSaysWhatPicocliSays() throws IOException {
        Path good = write("good.mig", "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nchecksum a.t\n");
        Path bad = write("bad.mig", "migration 1 'x'\nconnect a 'jdbc:postgresql://h/d?user=u&password=hunter2'\nchecksum b.t\n");
        Path pack = Path.of("scripts/mem0");
        String[][] lines = {
            {"--version"}, {"-V"}, {"check", good.toString()}, {"check", bad.toString()}, {"check", good.toString(), bad.toString()},
            {"check", pack.toString()}, {"check", dir.resolve("missing.mig").toString()}, {"check", dir.toString()}};
        for (String[] line : lines) {
            assertTrue(QuickStart.run(line, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())) != null,
                    String.join(" ", line) + " is a quick one");
            assertEquals(migFully(line), mig(line), String.join(" ", line));
        }
        assertTrue(mig("check", bad.toString()).out().contains("error: unknown connection 'b'"));
        assertFalse(mig("check", bad.toString()).out().contains("hunter2"));
        for (String[] other : new String[][] {{"check"}, {"check", "--no-source", good.toString()}, {"check", "--", good.toString()},
                {"check", "@" + good}, {"plan", good.toString()}, {"--version", "x"}, {"--help"}}) {
            assertEquals(null, QuickStart.run(other, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())),
                    String.join(" ", other) + " goes through picocli");
        }
    }
}
