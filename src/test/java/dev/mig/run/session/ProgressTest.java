package dev.mig.run.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.run.Interpreter;
import dev.mig.run.session.ProgressListener;
import dev.mig.run.session.ProgressText;
import dev.mig.run.session.Session;
import dev.mig.syntax.Syntax;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
    @TempDir
    Path dir;

    @Test
    void textAndBar() {
        assertEquals("map a.t -> b.u: 45,000 of 100,000 rows (45%), 15,000 rows/s, about 0:03 left",
                ProgressText.describe("map a.t -> b.u", 45_000, 100_000, 3_000));
        String bar = ProgressText.bar("map a.t -> b.u", 50, 100, 1_000, 80);
        assertTrue(bar.endsWith("]  50% 50 rows/s ETA 0:01  map a.t -> b.u") && bar.length() <= 80, bar);
        long filled = bar.chars().filter(c -> c == '#').count();
        long empty = bar.chars().filter(c -> c == '.').count() - "map a.t -> b.u".replaceAll("[^.]", "").length();
        assertTrue(Math.abs(filled - empty) <= 1, bar);
        assertTrue(ProgressText.bar("x".repeat(200), 1, 2, 1, 60).length() <= 59);
        assertEquals("1:01:01", ProgressText.eta(3661));
    }

    @Test
    void aMapReportsEveryPageWithTheTotal() {
        List<long[]> updates = mapProgress("set pushdown off\nset batch 50\n");
        assertEquals(List.of(50L, 100L, 150L, 200L, 250L, 300L, 300L, -1L), updates.stream().map(u -> u[0]).toList());
        assertTrue(updates.stream().limit(6).allMatch(u -> u[1] == 300));
    }

    @Test
    void aMapInTheDatabaseReportsEveryChunk() {
        // on SQLite (one writer at a time) a chunk is one batch; the last, empty range after key 300 is checked too
        List<long[]> updates = mapProgress("set batch 100\n");
        assertEquals(List.of(100L, 200L, 300L, 300L, -1L), updates.stream().map(u -> u[0]).toList());
        assertTrue(updates.stream().limit(3).allMatch(u -> u[1] == 300));
    }

    private List<long[]> mapProgress(String settings) {
        List<long[]> updates = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String script = "migration 1 'p'\nconnect db 'jdbc:sqlite:" + dir.resolve("p.db") + "'\n"
                + "sql db '''CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY);\n"
                + "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 300) INSERT INTO a SELECT x FROM s'''\n"
                + settings + "map db.a -> db.b { id -> id }\n";
        try (Session session = new Session("p.mig", new RunOptions(false, Map.of(), dir, out::add))) {
            session.progress(new ProgressListener() {
                @Override
                public void update(String what, long done, long total) {
                    updates.add(new long[] {done, total});
                }

                @Override
                public void finish() {
                    updates.add(new long[] {-1, -1});
                }
            });
            Interpreter interpreter = new Interpreter(session);
            Syntax.parse("p.mig", script).script().statements().forEach(interpreter::execute);
        }
        return updates;
    }

    @Test
    void plainLinesAtMostOnceAnInterval() throws Exception {
        List<String> lines = new ArrayList<>();
        ProgressListener plain = ProgressListener.plain(lines::add, 50);
        plain.update("map", 1, 10);
        plain.update("map", 2, 10);
        Thread.sleep(80);
        plain.update("map", 5, 10);
        plain.finish();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("  ... map: 5 of 10 rows (50%)"), lines.get(0));
    }
}
