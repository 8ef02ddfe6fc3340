package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.Scripts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig status on the shipped pack as an operator runs it in the project directory with one variable
 * set: no script reports a demo store (the pack has no demo defaults), every row fits the terminal,
 * and the reason of each script that cannot be checked is under the table, naming the variable.
 */
class StatusTest {
    @TempDir
    Path dir;

    @Test
    void thePackNamesItsMissingVariablesAndFitsTheTerminal() {
        List<String> out = new ArrayList<>();
        RunOptions options = new RunOptions(false, Map.of("MEM0_HISTORY_G0_URL", "jdbc:sqlite:" + dir.resolve("h.db"),
                "COLUMNS", "80"), Path.of("."), out::add);
        int code = MigrationStatus.print(Scripts.read(List.of(Path.of("scripts/mem0"))), options);
        assertEquals(1, code, "scripts that cannot be checked");
        int blank = out.indexOf("");
        assertTrue(blank > 0, String.join("\n", out));
        for (String line : out.subList(0, blank)) {
            assertTrue(line.length() <= 80, "within the terminal: " + line);
            assertFalse(line.matches(".*\\bapplied\\b.*") && !line.startsWith("version"), "no demo store is reported as applied: " + line);
        }
        List<String> notes = out.subList(blank + 1, out.size());
        assertTrue(notes.stream().anyMatch(n -> n.contains("001_history_g0_sqlite.mig:") && n.contains("MIG_OUT is not set")),
                String.join("\n", notes));
        assertTrue(notes.stream().anyMatch(n -> n.contains("002_history_g1_sqlite.mig:") && n.contains("MEM0_HISTORY_G1_URL is not set")),
                String.join("\n", notes));
        assertFalse(String.join("\n", out).contains("demo/"), "no script falls back to a demo path");
    }
}
