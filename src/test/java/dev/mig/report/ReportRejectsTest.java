package dev.mig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's rejected rows come from the rejects file the script's last {@code set rejects} names (where
 * the rows of its maps after that line went), grouped by reason with a few keys; with no such line, from the
 * default file beside the script.
 */
class ReportRejectsTest {
    @TempDir
    Path dir;

    private Path script(String rejectsLines) throws Exception {
        Path src = dir.resolve("src.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, ts TEXT)");
            s.execute("INSERT INTO t VALUES (1, '2024-01-02T03:04:05'), (2, 'not a time'), (3, 'yesterday'), (4, '2024-02-03')");
            s.execute("CREATE TABLE u (id INTEGER PRIMARY KEY, at TEXT)");
        }
        Path file = dir.resolve("s.mig");
        Files.writeString(file, """
                migration 1 'rejects'
                connect db 'jdbc:sqlite:%s'
                %s
                map db.t -> db.u key id {
                  id      -> id
                  utc(ts) -> at
                }
                """.formatted(src, rejectsLines));
        List<String> out = new ArrayList<>();
        assertEquals(ScriptRunner.Outcome.APPLIED, new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(file.toString(), Files.readString(file))), String.join("\n", out));
        return file;
    }

    private List<Model.Reject> reported(Path file) {
        Model.Report report = new Reporter(new RunOptions(false, Map.of(), dir, line -> { }))
                .build(List.of(file), Instant.parse("2026-12-08T00:00:00Z"));
        assertEquals(List.of(), report.problems());
        return report.items().get(0).rejects();
    }

    @Test
    void theLastRejectsSettingIsTheFileReported() throws Exception {
        Path file = script("set rejects 'first.jsonl'\nset rejects 'last.jsonl'");
        assertEquals(2, Files.readAllLines(dir.resolve("last.jsonl")).size(), "the map's rejects went to the last file");
        List<Model.Reject> rejects = reported(file);
        assertEquals(List.of(new Model.Reject("not a timestamp: 'not a time'", 1, "{\"id\":2}"),
                new Model.Reject("not a timestamp: 'yesterday'", 1, "{\"id\":3}")), rejects);
        assertEquals(List.of(), Files.exists(dir.resolve("first.jsonl")) ? Files.readAllLines(dir.resolve("first.jsonl")) : List.of());
    }

    @Test
    void withNoSettingTheDefaultFileBesideTheScript() throws Exception {
        Path file = script("");
        assertEquals(2, reported(file).stream().mapToLong(Model.Reject::count).sum());
        assertEquals(2, Files.readAllLines(dir.resolve("s.rejects.jsonl")).size());
    }
}
