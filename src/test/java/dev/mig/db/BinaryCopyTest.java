package dev.mig.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import dev.mig.run.session.RunOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binary COPY (uuid, jsonb, text into an empty table) writes exactly what text COPY writes - every value as
 * PostgreSQL reads it back - and a value it cannot carry (a NUL) falls back to the text path, which rejects
 * that row with its reason and writes the others.
 */
class BinaryCopyTest {
    @TempDir
    Path dir;

    private Map<String, String> load(String url, boolean binary) throws Exception {
        Path db = dir.resolve("src" + binary + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id TEXT PRIMARY KEY, doc TEXT, note TEXT)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO src VALUES (?, ?, ?)")) {
                for (int i = 0; i < 3000; i++) {
                    ps.setString(1, new java.util.UUID(7, i).toString());
                    ps.setString(2, i % 50 == 0 ? null : "{\"data\": \"memory " + i + " \\u00e9\\ud83d\\ude00 tab\\t\", \"n\": " + i
                            + ", \"nested\": {\"a\": [1, 2.5, null]}}");
                    ps.setString(3, i == 2990 ? "bad\0nul" : i % 7 == 0 ? null : "note\\with\nnewline " + i + " \u00e9\ud83d\ude00");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS dst");
            s.execute("CREATE TABLE dst (id uuid PRIMARY KEY, doc jsonb, note text)");
        }
        System.setProperty("mig.copy.binary", String.valueOf(binary));
        List<String> out = new ArrayList<>();
        try {
            ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add)).run(new ScriptRunner.Source(
                    dir.resolve("m" + binary + ".mig").toString(), "set batch 500\nconnect s 'jdbc:sqlite:" + db + "' readonly\nconnect p '" + url + "'\n"
                            + "map s.src -> p.dst key id {\n  id -> id as uuid\n  json(doc) -> doc\n  note -> note\n}\n"));
            assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", out));
        } finally {
            System.clearProperty("mig.copy.binary");
        }
        assertTrue(String.join("\n", out).contains("read 3000, written 2999, rejected 1"), String.join("\n", out));
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id::text, doc::text, note FROM dst")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    @Test
    void binaryCopyWritesWhatTextCopyWrites() throws Exception {
        String url = Pg.newDatabase();
        long before = PgCopyWriter.BINARY_BATCHES.get();
        Map<String, String> text = load(url, false);
        assertEquals(before, PgCopyWriter.BINARY_BATCHES.get(), "the text run used text");
        Map<String, String> binary = load(url, true);
        assertEquals(5, PgCopyWriter.BINARY_BATCHES.get() - before, "five batches of 500 in binary; the one with a NUL as text");
        assertEquals(2999, binary.size());
        assertEquals(text, binary);
        assertTrue(binary.get(new java.util.UUID(7, 1).toString()).contains("😀"), binary.get(new java.util.UUID(7, 1).toString()));
    }
}
