package dev.mig.run.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * set parallel N between two connections: the slices together write and reject exactly what one
 * worker does, into PostgreSQL and into SQLite.
 */
class ParallelMapTest {
    @TempDir
    Path dir;

    @Test
    void slicesWriteAndRejectWhatOneWorkerDoes() throws Exception {
        Path legacy = dir.resolve("legacy.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, prev_value TEXT, new_value TEXT, event TEXT, timestamp TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO history VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 12_000; i++) {
                    ps.setString(1, String.format("%08x", i * 2654435761L & 0xffffffffL));
                    ps.setString(2, i % 3 == 0 ? null : "before " + i);
                    ps.setString(3, "memory " + i + " 🧠");
                    ps.setString(4, i % 2 == 0 ? "add" : "update");
                    ps.setString(5, i % 997 == 0 ? "not a time" : "2024-07-01 10:00:00." + String.format("%06d", i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        String pg = Pg.newDatabase();
        String sqlite = "jdbc:sqlite:" + dir.resolve("new.db");
        for (String target : List.of(pg, sqlite)) {
            String table = "(id TEXT PRIMARY KEY, old_memory TEXT, new_memory TEXT, event TEXT, created_at TEXT)";
            String lines = """
                      id             -> id
                      prev_value     -> old_memory
                      new_value      -> new_memory
                      upper(event)   -> event
                      utc(timestamp) -> created_at
                    """;
            String script = """
                    migration 1 'parallel'
                    connect legacy 'jdbc:sqlite:%s' readonly
                    connect new '%s'
                    sql new 'CREATE TABLE one %s'
                    sql new 'CREATE TABLE three %s'
                    set batch 500
                    map legacy.history -> new.one key id {
                    %s}
                    set parallel 3
                    map legacy.history -> new.three key id {
                    %s}
                    checksum legacy.history -> new.three allow 13
                    """.formatted(legacy, target, table, table, lines, lines);
            Path file = dir.resolve("p" + Math.abs(target.hashCode()) + ".mig");
            Files.writeString(file, script);
            List<String> out = new ArrayList<>();
            ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                    .run(new ScriptSource(file.toString(), script));
            String printed = String.join("\n", out);
            assertEquals(ScriptRunner.Outcome.APPLIED, outcome, printed);
            assertTrue(printed.contains("map legacy.history -> new.one: read 12000, written 11987, rejected 13"), printed);
            assertTrue(printed.contains("map legacy.history -> new.three: read 12000, written 11987, rejected 13"
                    + " (see " + dir.resolve(file.getFileName().toString().replace(".mig", ".rejects.jsonl")) + "); 3 workers"), printed);
            assertTrue(printed.contains("11987 matched, 0 mismatched, 0 only in legacy.history, 0 only in new.three, "
                    + "13 source rows the map rejects"), printed);
            try (Connection c = target.equals(pg) ? Pg.connect(pg) : DriverManager.getConnection(sqlite); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM one o FULL JOIN three t ON t.id = o.id "
                         + "WHERE o.id IS NULL OR t.id IS NULL OR o.old_memory IS DISTINCT FROM t.old_memory "
                         + "OR o.new_memory <> t.new_memory OR o.event <> t.event OR o.created_at <> t.created_at")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "one worker and three wrote the same rows");
            }
        }
    }
}
