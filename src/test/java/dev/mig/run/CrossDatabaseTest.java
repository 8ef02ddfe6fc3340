package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.cli.Main;
import dev.mig.mem0.LegacyData;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossDatabaseTest {
    @TempDir
    Path dir;

    private String run(String script) throws Exception {
        List<String> out = new ArrayList<>();
        Path file = dir.resolve("s" + System.nanoTime() + ".mig");
        Files.writeString(file, script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(file.toString(), script));
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", out));
        return String.join("\n", out);
    }

    @Test
    void equalDataHasEqualDigestsInPostgresAndSqlite() throws Exception {
        String pg = Pg.newDatabase();
        Path lite = dir.resolve("same.db");
        String rows = "('a', 1, 1.5, true, '2024-07-01 17:30:00+00', '{\"b\": [1, 2.50], \"a\": \"é🙂\"}'), "
                + "('b', -7, 2.0, false, '2024-07-01 10:30:00-07', '{}'), ('c', NULL, NULL, NULL, NULL, NULL)";
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, f DOUBLE PRECISION, b BOOLEAN, at TIMESTAMPTZ, j JSONB)");
            s.execute("INSERT INTO t VALUES " + rows);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, f REAL, b BOOLEAN, at DATETIME, j JSON)");
            s.execute("INSERT INTO t VALUES ('a', 1, 1.5, 1, '2024-07-01T17:30:00Z', '{\"a\":\"é🙂\",\"b\":[1,2.5]}'), "
                    + "('b', -7, 2, 0, '2024-07-01 17:30:00', '{}'), ('c', NULL, NULL, NULL, NULL, NULL)");
        }
        String out = run("migration 1 'x'\nconnect pg '" + pg + "'\nconnect lite 'jdbc:sqlite:" + lite + "'\n"
                + "checksum pg.t\nchecksum lite.t\nchecksum pg.t -> lite.t\n");
        Matcher m = Pattern.compile("digest (3:[0-9a-f]{16})").matcher(out);
        assertTrue(m.find(), out);
        String first = m.group(1);
        assertTrue(m.find(), out);
        assertEquals(first, m.group(1), out);
        assertTrue(out.contains("3 matched, 0 mismatched"), out);
    }

    @Test
    void postgresToPostgresCarriesVectorsAndPayloadKeys() throws Exception {
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            LegacyData.collection(c, "memories", 800, 3, "real[]", true);
            s.execute("CREATE DOMAIN vector AS real[]");
            s.execute("CREATE TABLE memories_v2 (id UUID PRIMARY KEY, vector vector, payload JSONB)");
        }
        String out = run("""
                migration 1 'copy a collection, normalising on the way'
                connect pg '%s'
                map pg.memories -> pg.memories_v2 {
                  id                      -> id
                  vector                  -> vector
                  payload.*               -> payload.*
                  utc(payload.created_at) -> payload.created_at
                  md5(payload.data)       -> payload.hash
                } where payload.type is null
                checksum pg.memories -> pg.memories_v2
                """.formatted(pg));
        assertTrue(out.contains("read 800, written 800, rejected 0"), out);
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM memories m JOIN memories_v2 v USING (id) "
                     + "WHERE m.vector = v.vector::real[] AND m.payload->>'user_id' = v.payload->>'user_id' "
                     + "AND v.payload->>'hash' = md5(v.payload->>'data') AND v.payload->>'created_at' LIKE '%+00:00'")) {
            rs.next();
            assertEquals(800, rs.getInt(1));
        }
    }

    @Test
    void historyG1InPlaceOnSqliteKeepsNewValue() throws Exception {
        Path lite = dir.resolve("g1.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite)) {
            LegacyData.historyG1(c, 2000, 9);
        }
        String out = run("""
                migration 1 'G1 -> G2 beside the legacy table, keeping new_value in a kept column'
                connect db 'jdbc:sqlite:%s'
                sql db '''CREATE TABLE history_g2 (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT,
                  event TEXT, created_at DATETIME, updated_at DATETIME, is_deleted INTEGER, actor_id TEXT, role TEXT,
                  legacy_new_value TEXT)'''
                map db.history -> db.history_g2 {
                  id                                   -> id
                  memory_id                            -> memory_id
                  old_memory                           -> old_memory
                  new_memory                           -> new_memory
                  new_value                            -> legacy_new_value
                  event                                -> event
                  utc(created_at)                      -> created_at
                  utc(coalesce(updated_at, created_at)) -> updated_at
                  is_deleted                           -> is_deleted
                }
                checksum db.history -> db.history_g2
                assert none db.history_g2 where updated_at is null or created_at not like '%%Z'
                """.formatted(lite).replace(" not like '%Z'", " is null"));
        assertTrue(out.contains("read 2000, written 2000, rejected 0"), out);
        assertTrue(out.contains("2000 matched, 0 mismatched"), out);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM history h JOIN history_g2 g USING (id) WHERE "
                     + "g.created_at LIKE '%+00:00' AND g.updated_at LIKE '%+00:00' AND coalesce(h.new_value, '') = coalesce(g.legacy_new_value, '')")) {
            rs.next();
            assertEquals(2000, rs.getInt(1));
        }
    }

    @Test
    void runAppliesADirectoryInVersionOrderAndStopsAtAFailure() throws Exception {
        Path scripts = Files.createDirectory(dir.resolve("migrations"));
        String db = "jdbc:sqlite:" + dir.resolve("v.db");
        Files.writeString(scripts.resolve("a_ten.mig"), "migration 10 'third'\nconnect db '" + db + "'\n"
                + "sql db 'INSERT INTO log VALUES (10)'\nassert count(db.log) = 99\n");
        Files.writeString(scripts.resolve("b_two.mig"), "migration 2 'second'\nconnect db '" + db + "'\n"
                + "sql db 'INSERT INTO log VALUES (2)'\n");
        Files.writeString(scripts.resolve("c_one.mig"), "migration 1.5 'first'\nconnect db '" + db + "'\n"
                + "sql db 'CREATE TABLE log (v INTEGER)'\n");
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {"run", scripts.toString()}, new PrintWriter(out, true), new PrintWriter(out, true));
        assertEquals(1, code, out.toString());
        String printed = out.toString();
        assertTrue(printed.indexOf("migration 1.5") < printed.indexOf("migration 2 ") && printed.indexOf("migration 2 ")
                < printed.indexOf("migration 10"), printed);
        assertTrue(printed.contains("a_ten.mig:4:1: error: assert failed: count(db.log) = 99 (count(db.log) is 2"), printed);
        StringWriter status = new StringWriter();
        Main.execute(new String[] {"status", scripts.toString()}, new PrintWriter(status, true), new PrintWriter(status, true));
        assertTrue(status.toString().matches("(?s).*1\\.5\\s+applied.*2\\s+applied.*10\\s+failed.*"), status.toString());
    }
}
