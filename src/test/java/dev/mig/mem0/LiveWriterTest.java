package dev.mig.mem0;

import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.mem0.emulation.Stores;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-place pack scripts while mem0 keeps writing: a separate process writes history the way
 * mem0's SQLiteManager does (Python sqlite3) during the whole run and after cut-over; every write it
 * committed must be in the final table with its value (checked with plain SQL against its own log).
 */
class LiveWriterTest {
    @TempDir
    Path dir;

    record Write(String id, String value, boolean ok, double ms, String error) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete", "wal"})
    void historyG1InPlaceWhileMem0Writes(String journal) throws Exception {
        live(journal, "002_history_g1_sqlite.mig", "MEM0_HISTORY_G1_URL", "002_history_g1",
                c -> Stores.g1(c, Integer.parseInt(System.getenv().getOrDefault("MIG_LIVE_ROWS", "6000")), 31));
    }

    /** 007: a G2 table normalised in place (frozen, chunks in the database) while mem0 writes to it. */
    @Test
    void historyG2InPlaceWhileMem0Writes() throws Exception {
        live("delete", "007_history_g2_sqlite.mig", "MEM0_HISTORY_URL", "007_history_g2", c -> Stores.g2(c, 4000, 33));
    }

    interface Store {
        void make(Connection c) throws Exception;
    }

    private void live(String journal, String script, String variable, String stem, Store store) throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            store.make(c);
        }
        try (Connection c = sqlite(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = " + journal);
        }
        long before;
        try (Connection c = sqlite(db)) {
            before = count(c, "SELECT count(*) FROM history");
        }
        Path log = dir.resolve("writes.jsonl");
        Path stop = dir.resolve("stop");
        Path writer = Path.of("src/test/resources/live/mem0_sqlite_writer.py").toAbsolutePath();
        Process app = new ProcessBuilder("python3", writer.toString(), db.toString(), log.toString(), "150", stop.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer.out").toFile()).start();
        PackRun.Result result;
        try {
            Thread.sleep(500); // the application is writing before mig starts
            result = PackRun.run(dir, script, Map.of(variable, "jdbc:sqlite:" + db));
            Thread.sleep(1000); // and goes on writing after cut-over
        } finally {
            Files.writeString(stop, "");
            assertTrue(app.waitFor(30, TimeUnit.SECONDS), "the writer stops");
        }
        assertEquals(ScriptRunner.Outcome.APPLIED, result.outcome(), result.output());

        List<Write> writes = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(log)) {
            JsonNode n = json.readTree(line);
            writes.add(new Write(n.get("id").asText(), n.get("value").asText(), n.get("ok").asBoolean(), n.get("ms").asDouble(),
                    n.has("error") ? n.get("error").asText() : null));
        }
        List<Write> failed = writes.stream().filter(w -> !w.ok()).toList();
        double slowest = writes.stream().mapToDouble(Write::ms).max().orElse(0);
        System.out.printf("live writer (%s journal): %d writes, %d failed, slowest %.0f ms%n", journal, writes.size(),
                failed.size(), slowest);
        if (System.getenv("MIG_LIVE_DEBUG") != null) {
            for (String line : Files.readAllLines(log)) {
                JsonNode n = json.readTree(line);
                if (n.get("ms").asDouble() > 300) {
                    System.out.println("slow write at " + n.get("t").asDouble() + ": " + n.get("ms").asDouble() + " ms");
                }
            }
            for (String line : Files.readAllLines(dir.resolve("out/" + stem + ".audit.jsonl"))) {
                JsonNode n = json.readTree(line);
                System.out.println(Instant.parse(n.get("started_at").asText()).toEpochMilli() / 1000.0 + " +"
                        + n.get("duration_ms").asLong() + " ms line " + n.get("line").asInt() + " " + n.get("statement").asText().split("\n")[0]);
            }
        }
        assertTrue(writes.size() > 50, "the application wrote during the run: " + writes.size());
        assertEquals(List.of(), failed, "no application write failed because of mig");

        long lost = 0;
        try (Connection c = sqlite(db); PreparedStatement ps = c.prepareStatement(
                "SELECT new_memory, event FROM history WHERE id = ?")) {
            assertEquals(0, count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'history_g2'"), "cut over (002), none (007)");
            for (Write w : writes) {
                ps.setString(1, w.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !w.value().equals(rs.getString(1)) || !"ADD".equals(rs.getString(2))) {
                        lost++;
                    }
                }
            }
            assertEquals(before + writes.size(), count(c, "SELECT count(*) FROM history"), "every row, old and new, once");
        }
        assertEquals(0, lost, "writes the application committed that are not in the final table");
    }

    /**
     * 010, the copy in PostgreSQL, while mem0 writes to its SQLite file, then again after: no write fails,
     * every write stays in the file mem0 reads, and after the second run every write is in the copy too.
     */
    @Test
    void historyCopiedToPostgresWhileMem0Writes() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            Stores.g2(c, 3000, 32);
        }
        long before;
        try (Connection c = sqlite(db)) {
            before = count(c, "SELECT count(*) FROM history");
        }
        String pg = Pg.newDatabase();
        Path log = dir.resolve("writes.jsonl");
        Path stop = dir.resolve("stop");
        Path writer = Path.of("src/test/resources/live/mem0_sqlite_writer.py").toAbsolutePath();
        Process app = new ProcessBuilder("python3", writer.toString(), db.toString(), log.toString(), "150", stop.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer.out").toFile()).start();
        Map<String, String> env = Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db, "MEM0_PG_URL", pg);
        PackRun.Result copied;
        try {
            Thread.sleep(300);
            copied = PackRun.run(dir, "010_history_copy_to_postgres.mig", env);
            Thread.sleep(500);
        } finally {
            Files.writeString(stop, "");
            assertTrue(app.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(ScriptRunner.Outcome.APPLIED, copied.outcome(), copied.output());
        PackRun.Result again = PackRun.run(dir, "010_history_copy_to_postgres.mig", env);
        assertEquals(ScriptRunner.Outcome.APPLIED, again.outcome(), again.output());

        List<Write> writes = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(log)) {
            JsonNode n = json.readTree(line);
            writes.add(new Write(n.get("id").asText(), n.get("value").asText(), n.get("ok").asBoolean(), n.get("ms").asDouble(),
                    n.has("error") ? n.get("error").asText() : null));
        }
        assertEquals(List.of(), writes.stream().filter(w -> !w.ok()).toList(), "no write to SQLite failed");
        assertTrue(writes.size() > 30, "mem0 wrote during the copy: " + writes.size());
        long lostInFile = 0;
        long lostInCopy = 0;
        try (Connection s = sqlite(db); Connection c = Pg.connect(pg);
             PreparedStatement inFile = s.prepareStatement("SELECT new_memory FROM history WHERE id = ?");
             PreparedStatement inCopy = c.prepareStatement("SELECT new_memory FROM history WHERE id = ?")) {
            for (Write w : writes) {
                lostInFile += present(inFile, w) ? 0 : 1;
                lostInCopy += present(inCopy, w) ? 0 : 1;
            }
            assertEquals(before + writes.size(), count(s, "SELECT count(*) FROM history"), "the file mem0 reads keeps every row");
            assertEquals(before + writes.size(), count(c, "SELECT count(*) FROM history"), "the copy holds each once");
        }
        assertEquals(0, lostInFile, "writes missing from the file mem0 reads");
        assertEquals(0, lostInCopy, "writes missing from the copy after its second run");
        System.out.printf("live writer, copy to PostgreSQL twice: %d writes to SQLite, 0 lost%n", writes.size());
    }

    private static boolean present(PreparedStatement ps, Write w) throws Exception {
        ps.setString(1, w.id());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && w.value().equals(rs.getString(1));
        }
    }
}
