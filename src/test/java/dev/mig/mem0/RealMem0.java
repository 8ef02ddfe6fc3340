package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.mem0.emulation.CurrentMem0;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Current mem0's own {@code mem0/memory/storage.py}, unmodified, run by python3 on a history file
 * (src/test/resources/live/mem0_real_history.py). mem0's code is not part of this repository: set
 * MIG_MEM0_SRC to a checkout of mem0's repository (or to its storage.py); .ci/run sets it when
 * shared/vendor holds one. Without it the tests use the emulation (CurrentMem0), which this class
 * checks against the real code wherever both run.
 */
final class RealMem0 {
    private RealMem0() {
    }

    static Path storagePy() {
        String src = System.getenv("MIG_MEM0_SRC");
        if (src == null || src.isBlank()) {
            return null;
        }
        Path p = Path.of(src);
        Path file = Files.isDirectory(p) ? p.resolve("mem0/memory/storage.py") : p;
        return Files.isRegularFile(file) ? file : null;
    }

    /** The storage.py of an older release (MIG_MEM0_OLD_STORAGE, e.g. v0.1.98's), or null. */
    static Path oldStoragePy() {
        String p = System.getenv("MIG_MEM0_OLD_STORAGE");
        return p == null || p.isBlank() || !Files.isRegularFile(Path.of(p)) ? null : Path.of(p);
    }

    /** That release's SQLiteManager constructed on the file, as its application starting: "started" or "failed: ...". */
    static String start(Path storagePy, Path db) throws Exception {
        Path script = Path.of("src/test/resources/live/mem0_real_history.py").toAbsolutePath();
        Process p = new ProcessBuilder(Vendor.PYTHON, script.toString(), storagePy.toString(), db.toString(), "/dev/null", "open")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return output.lines().reduce((a, b) -> b).orElse("");
    }

    static boolean available() {
        return storagePy() != null;
    }

    /** get_history of every memory in the file, by memory id, as current mem0 returns it (its start-up runs first). */
    static Map<String, List<Map<String, Object>>> history(Path db, int adds) throws Exception {
        Path out = Files.createTempFile(db.getParent(), "real-mem0-", ".jsonl");
        Path script = Path.of("src/test/resources/live/mem0_real_history.py").toAbsolutePath();
        Process p = new ProcessBuilder(Vendor.PYTHON, script.toString(), storagePy().toString(), db.toString(), out.toString(),
                String.valueOf(adds)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "mem0's storage code finished");
        assertEquals(0, p.exitValue(), "mem0's storage code failed: " + output);
        Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            JsonNode n = json.readTree(line);
            List<Map<String, Object>> events = new ArrayList<>();
            for (JsonNode e : n.get("history")) {
                Map<String, Object> event = new LinkedHashMap<>();
                e.fields().forEachRemaining(f -> event.put(f.getKey(), f.getValue().isNull() ? null
                        : f.getValue().isNumber() ? (Object) f.getValue().asLong() : f.getValue().asText()));
                events.add(event);
            }
            all.put(n.get("memory_id").asText(), events);
        }
        Files.delete(out);
        return all;
    }

    /**
     * With mem0's source at hand: its own SQLiteManager opens the file (no rebuild: the row count stays)
     * and its get_history returns, memory by memory, exactly what the emulation returns. Returns the
     * number of memories compared (0 without the source).
     */
    static int assertEmulationAgrees(Path db) throws Exception {
        if (!available()) {
            return 0;
        }
        long before;
        try (Connection c = PackRun.sqlite(db)) {
            before = PackRun.count(c, "SELECT count(*) FROM history");
        }
        Map<String, List<Map<String, Object>>> real = history(db, 0);
        try (Connection c = PackRun.sqlite(db)) {
            assertEquals(before, PackRun.count(c, "SELECT count(*) FROM history"), "mem0's own start-up kept every row");
            for (Map.Entry<String, List<Map<String, Object>>> e : real.entrySet()) {
                List<Map<String, Object>> emulated = CurrentMem0.getHistory(c, e.getKey());
                assertEquals(e.getValue().size(), emulated.size(), "events of " + e.getKey());
                for (int i = 0; i < emulated.size(); i++) {
                    Map<String, Object> r = e.getValue().get(i);
                    Map<String, Object> m = emulated.get(i);
                    for (String k : List.of("id", "memory_id", "old_memory", "new_memory", "event", "created_at", "updated_at")) {
                        Object mv = m.get(k);
                        assertEquals(r.get(k) == null ? null : r.get(k).toString(), mv == null ? null : mv.toString(),
                                k + " of event " + i + " of memory " + e.getKey() + " (real mem0 vs emulation)");
                    }
                }
            }
        }
        System.out.println("mem0's own storage.py read " + real.size() + " memories of " + db.getFileName()
                + ": the same events in the same order as the emulation");
        return real.size();
    }
}
