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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text longer than a varchar(n), char(n) or bit(n) column holds is refused with PostgreSQL's reason on every
 * way into PostgreSQL (binary COPY, text COPY, the row-by-row retry, the merge into a non-empty table, a map
 * computed inside PostgreSQL) - never cut to fit, which an explicit CAST to varchar(5) would do silently.
 */
class LengthLimitsTest {
    @TempDir
    Path dir;

    private static final String TABLE = "(id text PRIMARY KEY, v varchar(5), c char(3), b bit(3))";

    private Map<String, String> rows(String url, String table) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, c, b::text FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return rows;
    }

    private List<String> run(String name, String script) throws Exception {
        Path base = Files.createDirectories(dir.resolve(name));
        List<String> out = new ArrayList<>();
        new ScriptRunner(new RunOptions(false, Map.of(), base, out::add)).run(new ScriptSource(base.resolve("m.mig").toString(), script));
        Path rejects = base.resolve("m.rejects.jsonl");
        List<String> lines = new ArrayList<>(out);
        if (Files.exists(rejects)) {
            lines.addAll(Files.readAllLines(rejects));
        }
        return lines;
    }

    private static final Map<String, String> EXPECTED = Map.of("a", "abc|ab |101", "e", "null|null|null");

    private static void assertRefusedNotCut(List<String> out) {
        String all = String.join("\n", out);
        assertTrue(all.contains("read 5, written 2, rejected 3"), all);
        assertTrue(all.contains("\"key\":{\"id\":\"b\"}") && all.contains("value too long for type character varying(5)"), all);
        assertTrue(all.contains("\"key\":{\"id\":\"c\"}") && all.contains("value too long for type character(3)"), all);
        assertTrue(all.contains("\"key\":{\"id\":\"d\"}") && all.contains("bit string length 4 does not match type bit(3)"), all);
    }

    @Test
    void tooLongIsRefusedOnEveryWayIn() throws Exception {
        Path src = dir.resolve("src.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id TEXT PRIMARY KEY, v TEXT, c TEXT, b TEXT)");
            s.execute("INSERT INTO src VALUES ('a', 'abc', 'ab', '101'), ('b', 'abcdef', 'ab', '101'), ('c', 'abc', 'abcd', '101'), "
                    + "('d', 'abc', 'ab', '1010'), ('e', NULL, NULL, NULL)");
        }
        String url = Pg.newDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String t : List.of("empty_binary", "empty_text", "merged", "copy")) {
                s.execute("CREATE TABLE " + t + " " + TABLE);
            }
            s.execute("INSERT INTO merged VALUES ('z', 'zz', 'zz', '000')"); // not empty: batches merge through a staging table
        }
        String map = "map s.src -> p.%s key id {\n  id -> id\n  v -> v\n  c -> c\n  b -> b\n}\n";
        String connect = "connect s 'jdbc:sqlite:" + src + "' readonly\nconnect p '" + url + "'\n";
        assertRefusedNotCut(run("binary", connect + map.formatted("empty_binary")));
        assertEquals(EXPECTED, rows(url, "empty_binary"));
        System.setProperty("mig.copy.binary", "false");
        try {
            assertRefusedNotCut(run("text", connect + map.formatted("empty_text")));
        } finally {
            System.clearProperty("mig.copy.binary");
        }
        assertEquals(EXPECTED, rows(url, "empty_text"));
        assertRefusedNotCut(run("merged", connect + map.formatted("merged")));
        Map<String, String> merged = new TreeMap<>(EXPECTED);
        merged.put("z", "zz|zz |000");
        assertEquals(merged, rows(url, "merged"));
        // inside PostgreSQL: the map computed by one statement per chunk (pushdown), from a text-typed copy
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id text PRIMARY KEY, v text, c text, b text)");
            s.execute("INSERT INTO src VALUES ('a', 'abc', 'ab', '101'), ('b', 'abcdef', 'ab', '101'), ('c', 'abc', 'abcd', '101'), "
                    + "('d', 'abc', 'ab', '1010'), ('e', NULL, NULL, NULL)");
        }
        List<String> inside = run("inside", "connect p '" + url + "'\nmap p.src -> p.copy key id {\n  id -> id\n  v -> v\n  c -> c\n  b -> b\n}\n");
        assertRefusedNotCut(inside);
        assertEquals(EXPECTED, rows(url, "copy"));
    }
}
