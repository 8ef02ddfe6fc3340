package dev.mig.db;

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
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite TEXT holding bytes that are not UTF-8 (61 FF 62): never replaced by U+FFFD. Into PostgreSQL
 * the row is rejected with its reason; into SQLite the same bytes are written; a backup keeps the
 * bytes and restore puts them back; a digest tells them from the replaced text. A real U+FFFD in
 * valid text is carried as it is. Checked with sqlite3's hex() and plain SQL.
 */
class InvalidUtf8Test {
    @TempDir
    Path dir;

    private static final String DDL = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)";

    @Test
    void notReplacedAnywhere() throws Exception {
        Path src = dir.resolve("src.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src); Statement s = c.createStatement()) {
            s.execute(DDL);
            s.execute("INSERT INTO t VALUES (1, 'plain'), (2, CAST(X'61FF62' AS TEXT)), (3, 'a\uFFFDb'), (4, CAST(X'E282' AS TEXT))");
        }
        String pg = Pg.newDatabase();
        String script = """
                migration 1 'invalid utf-8'
                connect src 'jdbc:sqlite:%s'
                connect dst 'jdbc:sqlite:%s'
                connect pg '%s'
                set rejects '%s'
                backup src.t to '%s'
                sql pg 'CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)'
                sql dst 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)'
                map src.t -> dst.t key id {
                  id -> id
                  v  -> v
                }
                checksum src.t -> dst.t
                map src.t -> pg.t key id {
                  id -> id
                  v  -> v
                }
                """.formatted(src, dir.resolve("dst.db"), pg, dir.resolve("rejects.jsonl"), dir.resolve("t.jsonl.gz"));
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("s.mig").toString(), script));
        String text = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, text);
        assertTrue(text.contains("map src.t -> pg.t: read 4, written 2, rejected 2"), text);
        assertTrue(text.contains("checksum src.t -> dst.t: 4 matched, 0 mismatched"), text);
        String rejects = Files.readString(dir.resolve("rejects.jsonl"));
        assertTrue(rejects.contains("text that is not UTF-8 (bytes 61 FF 62; byte 2, 0xFF, is not valid there)"), rejects);
        assertTrue(rejects.contains("text that is not UTF-8 (bytes E2 82; byte 1, 0xE2"), rejects);
        assertTrue(rejects.contains("\"$not_utf8\":\"61ff62\""), "the rejects file keeps the bytes: " + rejects);
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v FROM t ORDER BY id")) {
            assertTrue(rs.next());
            assertEquals("plain", rs.getString(2));
            assertTrue(rs.next());
            assertEquals(3, rs.getInt(1));
            assertEquals("a\uFFFDb", rs.getString(2), "a real U+FFFD is text like any other");
            assertTrue(!rs.next(), "no replaced text reached PostgreSQL");
        }
        assertEquals(List.of("1|text|706C61696E", "2|text|61FF62", "3|text|61EFBFBD62", "4|text|E282"),
                hex(dir.resolve("dst.db")), "SQLite to SQLite: the same bytes");
        String backup = new String(new GZIPInputStream(Files.newInputStream(dir.resolve("t.jsonl.gz"))).readAllBytes());
        assertTrue(backup.contains("{\"$not_utf8\":\"61ff62\"}"), backup);

        // restore: the bytes come back, and the table's digest equals the manifest's
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src); Statement s = c.createStatement()) {
            s.execute("DELETE FROM t");
        }
        out.clear();
        String restore = "migration 2 'restore'\nconnect src 'jdbc:sqlite:" + src + "'\nrestore src.t from '" + dir.resolve("t.jsonl.gz") + "'\n";
        assertEquals(ScriptRunner.Outcome.APPLIED, new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("r.mig").toString(), restore)), String.join("\n", out));
        assertEquals(List.of("1|text|706C61696E", "2|text|61FF62", "3|text|61EFBFBD62", "4|text|E282"), hex(src));
    }

    /** A checksum does not take the bytes for the text a driver decodes them to: it fails, naming them. */
    @Test
    void aDigestTellsTheBytesFromTheirReplacement() throws Exception {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + a); Statement s = c.createStatement()) {
            s.execute(DDL);
            s.execute("INSERT INTO t VALUES (1, CAST(X'61FF62' AS TEXT))");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + b); Statement s = c.createStatement()) {
            s.execute(DDL);
            s.execute("INSERT INTO t VALUES (1, 'a\uFFFDb')");
        }
        String script = "migration 1 'x'\nconnect a 'jdbc:sqlite:" + a + "'\nconnect b 'jdbc:sqlite:" + b + "'\nchecksum a.t -> b.t\n";
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("c.mig").toString(), script));
        assertEquals(ScriptRunner.Outcome.FAILED, outcome, String.join("\n", out));
        assertTrue(String.join("\n", out).contains("id=1: text that is not UTF-8 (bytes 61 FF 62"), String.join("\n", out));
    }

    private static List<String> hex(Path file) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, typeof(v), hex(v) FROM t ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }
}
