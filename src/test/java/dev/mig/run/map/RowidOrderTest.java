package dev.mig.run.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.run.Pg;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SQLite source keyed by TEXT (mem0's ids) is read in rowid order; a run killed mid-map resumes after the
 * rowid it committed, and after a VACUUM that renumbered the rowids it notices and starts again - in one
 * stream and in rowid slices - with exactly the source's rows in the target either way.
 */
class RowidOrderTest {
    private static final int INSERTED = 70_000;

    @TempDir
    Path dir;

    private Path source() throws Exception {
        Path db = dir.resolve("src.db");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < INSERTED; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(25)); // rowid order is not key order
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE vectors (id TEXT PRIMARY KEY, payload TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vectors VALUES (?, ?)")) {
                for (int i : order) {
                    ps.setString(1, String.format("k%06d", i));
                    ps.setString(2, "memory " + i + " " + "x".repeat(200));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            s.execute("DELETE FROM vectors WHERE rowid % 7 = 0"); // gaps, which a VACUUM closes
            c.commit();
        }
        return db;
    }

    private Process start(Path script) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.mig.cli.Main", "run",
                script.toString());
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File(dir.resolve("run.log").toString()));
        return pb.start();
    }

    private static long count(String pg) throws Exception {
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM vectors")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notYet) {
            return 0;
        }
    }

    private Path script(Path src, String pg, String parallel) throws Exception {
        Path script = dir.resolve("m.mig");
        Files.writeString(script, """
                migration 1 'a TEXT-keyed store, read as stored'
                connect src 'jdbc:sqlite:%s' readonly
                connect pg '%s'
                %s
                set batch 500
                sql pg 'CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, payload TEXT)'
                map src.vectors -> pg.vectors key id {
                  id      -> id
                  payload -> payload
                }
                checksum src.vectors -> pg.vectors
                """.formatted(src, pg, parallel));
        return script;
    }

    /** Runs the script into a fresh database until a kill -9 leaves the map part done; returns that database. */
    private String killedMidMap(Path src, String parallel, StringBuilder log) throws Exception {
        for (int attempt = 0; attempt < 6; attempt++) {
            String pg = Pg.newDatabase();
            Process p = start(script(src, pg, parallel));
            long deadline = System.currentTimeMillis() + 60_000;
            while (p.isAlive() && count(pg) < 5_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            p.destroyForcibly(); // SIGKILL, after some pages were committed
            p.waitFor(10, TimeUnit.SECONDS);
            log.append(Files.readString(dir.resolve("run.log"))).append("\n----\n");
            long written = count(pg);
            if (written > 0 && written < INSERTED * 6 / 7) {
                return pg;
            }
        }
        throw new AssertionError("no run was killed mid-map:\n" + log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"set parallel 1|vacuum", "set parallel 2|vacuum", "set parallel 1|rebuild", "set parallel 2|rebuild"})
    void aKilledMapResumesByRowidAndStartsAgainWhenTheTableWasRebuilt(String how) throws Exception {
        String parallel = how.split("\\|")[0];
        boolean rebuild = how.endsWith("rebuild");
        Path src = source();
        StringBuilder all = new StringBuilder();
        String pg = killedMidMap(src, parallel, all);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src); Statement s = c.createStatement()) {
            if (rebuild) {
                // as migrations rebuild a table: the rows copied in key order into a new table put in its place
                s.execute("CREATE TABLE vectors_new (id TEXT PRIMARY KEY, payload TEXT)");
                s.execute("INSERT INTO vectors_new SELECT id, payload FROM vectors ORDER BY id");
                s.execute("DROP TABLE vectors");
                s.execute("ALTER TABLE vectors_new RENAME TO vectors");
            } else {
                s.execute("VACUUM"); // closes the gaps; SQLite 3.40 keeps the rowids
            }
        }
        Process last = start(script(src, pg, parallel));
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the final run did not finish");
        String out = Files.readString(dir.resolve("run.log"));
        all.append(out);
        assertEquals(0, last.exitValue(), all.toString());
        if (rebuild) {
            assertTrue(out.contains("started again: the rowids of vectors changed since an earlier, interrupted run"), all.toString());
        } else {
            assertTrue(out.matches("(?s).*resumed (after \\[k\\d{6}\\] \\(rowid \\d+\\)|where an earlier, interrupted run stopped).*"),
                    "the run resumed by rowid:\n" + all);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM vectors")) {
            rs.next();
            long rows = rs.getLong(1);
            assertTrue(out.contains("checksum src.vectors -> pg.vectors: " + rows + " matched, 0 mismatched, 0 only in src.vectors, "
                    + "0 only in pg.vectors"), out);
            assertEquals(rows, count(pg));
        }
    }
}
