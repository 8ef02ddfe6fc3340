package dev.mig.repl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mig.mem0.LegacyData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real mig binary in a pseudo-terminal (tmux): a short session typed key by key, a column
 * name completed with Tab inside a map block, Ctrl-C cancelling a running query, and the screen read.
 * .ci/run installs tmux; without it this test cannot run and says so.
 */
class ReplTerminalTest {
    @TempDir
    Path dir;

    private final String session = "mig-test-" + ProcessHandle.current().pid();

    private static String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-t", session, "-p", "-S", "-100");
    }

    private String waitFor(Predicate<String> ready, String what) throws Exception {
        long end = System.currentTimeMillis() + 20_000;
        String screen = "";
        while (System.currentTimeMillis() < end) {
            screen = screen();
            if (ready.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited for " + what + "; the screen:\n" + screen);
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    @AfterEach
    void stop() throws Exception {
        tmux("kill-session", "-t", session);
    }

    @Test
    void aTypedSessionWithTabCompletionAndCtrlC() throws Exception {
        boolean tmux;
        try {
            tmux = new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException e) {
            tmux = false;
        }
        if (System.getenv("CI") != null) { // .ci/run installs tmux: in CI this test must run, never skip
            Assertions.assertTrue(tmux, "CI is set but tmux is not installed: .ci/run installs it");
        }
        assumeTrue(tmux, "tmux is not installed (.ci/run installs it)");
        Path db = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            LegacyData.historyG0(c, 200, 8);
            c.createStatement().execute("CREATE TABLE g2 (id TEXT PRIMARY KEY, old_memory TEXT)");
        }
        Path launcher = dir.resolve("mig.sh");
        Files.writeString(launcher, "#!/bin/sh\ncd '" + dir + "'\nHOME='" + dir + "' EDITOR='" + dir.resolve("editor.sh") + "' exec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' dev.mig.cli.Main repl --history '" + dir.resolve("h") + "'\n");
        launcher.toFile().setExecutable(true);
        // the editor :edit opens: it gets the terminal, changes the statement, and mig runs what it saved
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nprintf 'editor had the terminal\\n' > /dev/tty\nsleep 1\n"
                + "sed -i 's/checksum db.g2/checksum db.history/' \"$1\"\n");
        editor.toFile().setExecutable(true);
        long start = System.nanoTime();
        tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "45", launcher.toString());
        waitFor(s -> s.contains("mig>"), "the prompt");
        long startupMillis = (System.nanoTime() - start) / 1_000_000;
        keys("connect db 'jdbc:sqlite:" + db + "'", "Enter");
        waitFor(s -> s.contains("line 1: connect db"), "connect");
        keys("map db.history -> db.g2 {", "Enter");
        waitFor(s -> s.contains("...>"), "the continuation prompt");
        keys("  id -> id", "Enter", "  prev_v", "Tab");
        waitFor(s -> s.contains("prev_value"), "Tab to complete prev_value");
        keys(" -> old_m", "Tab");
        waitFor(s -> s.contains("old_memory"), "Tab to complete old_memory");
        keys("Enter", "}", "Enter");
        String mapped = waitFor(s -> s.contains("read 200, written 200, rejected 0"), "the map");
        assertTrue(mapped.matches("(?s).*prev_value +-> old_memory.*"), mapped);
        keys("sql db 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'", "Enter");
        Thread.sleep(1500);
        keys("C-c");
        String cancelled = waitFor(s -> s.contains("interrupted") || s.contains("cancel"), "Ctrl-C to cancel the query");
        keys("checksum db.g2", "Enter");
        String after = waitFor(s -> s.contains("checksum db.g2: 200 rows"), "the session to go on");
        // Ctrl-R: search the history for the checksum and run it again
        keys("C-r");
        keys("-l", "checksum db");
        waitFor(s -> s.contains("bck-i-search: checksum db"), "Ctrl-R's reverse search");
        keys("Enter");
        String again = waitFor(s -> s.split("checksum db.g2: 200 rows", -1).length - 1 >= 2, "the found statement to run again");
        keys(":edit", "Enter");
        waitFor(s -> s.contains("editor had the terminal"), "the editor to get the terminal");
        String edited = waitFor(s -> s.contains("checksum db.history: 200 rows"), "the edited statement to run");
        keys("C-d");
        assertTrue(edited.contains("mig>"), edited);
        assertTrue(again.contains("mig>"), again);
        assertTrue(cancelled.contains("error:"), cancelled);
        assertTrue(after.contains("mig>"), after);
        System.out.println("mig repl: prompt after " + startupMillis + " ms (JVM start included)");
    }
}
