package dev.mig.run.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.RollbackRunner;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** archive to a table, purge with VACUUM, prune of a column and of a JSON key, on PostgreSQL. */
class PostgresLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void archivePurgeAndPrune() throws Exception {
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE memories (id UUID PRIMARY KEY, vector REAL[], payload JSONB, legacy_hash TEXT)");
            s.execute("INSERT INTO memories SELECT md5(g::text)::uuid, ARRAY[g, g / 2.0]::real[], "
                    + "jsonb_build_object('data', 'memory ' || g, 'old', jsonb_build_object('hash', md5(g::text), 'keep', g)), "
                    + "md5(g::text) FROM generate_series(1, 300) g");
            s.execute("CREATE TABLE messages (id TEXT PRIMARY KEY, role TEXT, content TEXT)");
            s.execute("INSERT INTO messages SELECT 'm' || g, CASE WHEN g % 3 = 0 THEN 'system' ELSE 'user' END, 'text ' || g "
                    + "FROM generate_series(1, 90) g");
        }
        String script = """
                migration 1 'clean up a collection'
                connect pg '%s'
                backup pg.memories to 'b/memories.jsonl.gz'
                prune pg.memories.payload.old.hash
                prune pg.memories.legacy_hash
                archive pg.memories to pg.memories_archive
                backup pg.messages to 'b/messages.jsonl.gz'
                purge pg.messages where role = 'system'
                """.formatted(pg);
        List<String> out = new ArrayList<>();
        Files.writeString(dir.resolve("c.mig"), script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("c.mig").toString(), script));
        String printed = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, printed);
        assertTrue(printed.contains("key old.hash removed from payload in 300 rows"), printed);
        assertTrue(printed.contains("column legacy_hash dropped from pg.memories"), printed);
        assertTrue(printed.contains("300 rows archived to pg.memories_archive (verified, digest 300:"), printed);
        assertTrue(printed.contains("30 rows deleted where role = 'system'"), printed);
        assertTrue(printed.contains("storage reclaimed (VACUUM FULL)"), printed);
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM memories), (SELECT count(*) FROM memories_archive), "
                    + "(SELECT count(*) FROM memories_archive WHERE payload #> '{old,hash}' IS NULL AND (payload #>> '{old,keep}') IS NOT NULL "
                    + "AND vector[1] > 0), (SELECT count(*) FROM messages WHERE role = 'system'), (SELECT count(*) FROM messages), "
                    + "(SELECT count(*) FROM information_schema.columns WHERE table_name = 'memories' AND column_name = 'legacy_hash')");
            rs.next();
            assertEquals(0, rs.getInt(1));
            assertEquals(300, rs.getInt(2));
            assertEquals(300, rs.getInt(3));
            assertEquals(0, rs.getInt(4));
            assertEquals(60, rs.getInt(5));
            assertEquals(0, rs.getInt(6));
        }
    }

    /** cutover on PostgreSQL, a write after it, then mig rollback: the legacy table back, the write carried back. */
    @Test
    void cutoverAndRollbackAfterIt() throws Exception {
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, prev_value TEXT, new_value TEXT, event TEXT, ts TEXT)");
            s.execute("INSERT INTO history SELECT 'h' || g, NULL, 'v' || g, 'add', '2024-07-0' || (1 + g % 9) || ' 10:00:00' "
                    + "FROM generate_series(1, 200) g");
        }
        String script = """
                migration 7 'cut over on PostgreSQL'
                connect pg '%s'
                freeze pg.history
                backup pg.history to 'b/history.jsonl.gz'
                sql pg 'CREATE TABLE history_g2 (id TEXT PRIMARY KEY, old_memory TEXT, new_memory TEXT, event TEXT, created_at TIMESTAMPTZ)'
                map pg.history -> pg.history_g2 key id {
                  id            -> id
                  prev_value    -> old_memory
                  new_value     -> new_memory
                  upper(event)  -> event
                  utc(ts)       -> created_at
                }
                sql pg 'INSERT INTO history VALUES (''h999'', NULL, ''late'', ''add'', ''2024-08-01 09:00:00'')'
                checksum pg.history -> pg.history_g2
                cutover pg.history -> pg.history_g2
                """.formatted(pg);
        List<String> out = new ArrayList<>();
        Files.writeString(dir.resolve("c.mig"), script);
        ScriptSource source = new ScriptSource(dir.resolve("c.mig").toString(), script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add)).run(source);
        String printed = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, printed);
        assertTrue(printed.contains("1 rows written by applications since the last replay"), printed);
        assertTrue(printed.contains("1 queued writes applied"), printed);
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE event = 'ADD'), "
                    + "(SELECT count(*) FROM information_schema.tables WHERE table_name = 'history_g2') FROM history");
            rs.next();
            assertEquals(201, rs.getLong(1), "the late write came over with the cutover");
            assertEquals(201, rs.getLong(2));
            assertEquals(0, rs.getLong(3));
            s.execute("INSERT INTO history VALUES ('after', NULL, 'written after cutover', 'ADD', now())");
        }
        out.clear();
        assertTrue(RollbackRunner.run("7", List.of(source), new RunOptions(false, Map.of(), dir, out::add)), String.join("\n", out));
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*), (SELECT new_value FROM history WHERE id = 'after'), "
                    + "(SELECT count(*) FROM history WHERE prev_value IS NULL AND ts IS NOT NULL), "
                    + "(SELECT count(*) FROM history_after_v7) FROM history");
            rs.next();
            assertEquals(202, rs.getLong(1), "200 from the backup, the late write and the one after cutover");
            assertEquals("written after cutover", rs.getString(2));
            assertEquals(202, rs.getLong(3));
            assertEquals(202, rs.getLong(4), "the cut-over table is kept");
        }
    }
}
