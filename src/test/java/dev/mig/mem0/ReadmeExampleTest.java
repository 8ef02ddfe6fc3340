package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Stores;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first example is a true flow: run as written on a G0 history.db that emulated mem0
 * 0.0.x releases wrote, every event keeps every value (memory_id and is_deleted included), and
 * current mem0 opens the file without rebuilding it and reads each event.
 */
class ReadmeExampleTest {
    @TempDir
    Path home;

    @Test
    void theFirstExampleMigratesInPlaceAndMem0ReadsEveryEvent() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```mig\n") + 7;
        String script = readme.substring(start, readme.indexOf("```\n", start));
        Path file = home.resolve(".mem0/history.db");
        Files.createDirectories(file.getParent());
        try (Connection c = PackRun.sqlite(file)) {
            Stores.g0(c, 700, 41);
        }
        Map<String, Map<String, Object>> legacy;
        try (Connection c = PackRun.sqlite(file)) {
            legacy = PackRun.rows(c, "SELECT id, memory_id, prev_value, new_value, event, timestamp, is_deleted FROM history");
        }
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of("HOME", home.toString()), home, out::add))
                .run(new ScriptSource("README.md", script));
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", out));
        RealMem0.assertEmulationAgrees(file);
        try (Connection c = PackRun.sqlite(file)) {
            assertFalse(CurrentMem0.wouldRebuild(c), "current mem0 would rebuild the table");
            Map<String, Map<String, Object>> after = PackRun.rows(c, "SELECT * FROM history");
            assertEquals(legacy.keySet(), after.keySet());
            for (Map.Entry<String, Map<String, Object>> e : legacy.entrySet()) {
                Map<String, Object> b = e.getValue();
                Map<String, Object> a = after.get(e.getKey());
                assertEquals(b.get("memory_id"), a.get("memory_id"));
                assertEquals(b.get("prev_value"), a.get("old_memory"));
                assertEquals(b.get("new_value"), a.get("new_memory"));
                assertEquals(b.get("event").toString().toUpperCase(), a.get("event"));
                assertEquals(PackRun.instant(b.get("timestamp")), PackRun.instant(a.get("created_at")));
                assertEquals(b.get("is_deleted"), a.get("is_deleted"));
                boolean found = CurrentMem0.getHistory(c, (String) b.get("memory_id")).stream()
                        .anyMatch(ev -> ev.get("id").equals(e.getKey()));
                assertNotNull(found ? a : null, "current mem0's get_history returns " + e.getKey());
            }
        }
    }
}
