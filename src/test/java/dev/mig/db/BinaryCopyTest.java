package dev.mig.db;

import dev.mig.db.internal.PgCopyWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
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
                    ps.setString(1, new UUID(7, i).toString());
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
            ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add)).run(new ScriptSource(
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

    /** Times in the spellings binary COPY carries itself, and (every 25th row) ones it leaves to PostgreSQL's text input. */
    private static final String[] TIMES = {"2024-07-01T17:30:00.120000+00:00", "2024-07-01T17:30:00Z", "2024-07-01T17:30:00-07:00",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2024-07-01T17:30:00+0530", "2024-07-01T17:30:00+05", null,
        "2024-07-01T17:30:00.5+00:00", "1999-12-31T23:59:59.999999-00:00", "1969-07-20T20:17:40Z", "2024-07-01 17:30:00+00"};
    private static final String[] LEFT_TO_POSTGRES = {"2024-07-01 17:30:00", "2024-07-01T17:30:00.1234567+00:00",
        "2024-02-30T00:00:00Z", "garbage", "2024-07-01T24:00:00Z", "2024-07-01T17:30:00+16:00", "2024-07-01T17:30:00.000001",
        "0000-01-01T00:00:00Z", " 2024-07-01T17:30:00Z"};
    private static final long[] NUMBERS = {0, 1, -1, 32767, -32768, 42, 7};
    private static final long[] OUT_OF_RANGE = {32768, -32769, 2147483648L, Long.MAX_VALUE};

    private Map<String, String> loadTimes(String url, boolean binary, List<String> out) throws Exception {
        Path db = dir.resolve("times" + binary + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, flag INTEGER)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO src VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 420; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, i % 25 == 0 ? LEFT_TO_POSTGRES[(i / 25) % LEFT_TO_POSTGRES.length] : TIMES[i % TIMES.length]);
                    ps.setLong(3, i % 25 == 12 ? OUT_OF_RANGE[(i / 25) % OUT_OF_RANGE.length] : NUMBERS[(i / 3) % NUMBERS.length]);
                    if (i % 11 == 0) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, i % 2);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS times");
            s.execute("CREATE TABLE times (id bigint PRIMARY KEY, tz timestamptz, ts timestamp, tz3 timestamp(3) with time zone, "
                    + "i integer, s smallint, b bigint, f boolean)");
        }
        System.setProperty("mig.copy.binary", String.valueOf(binary));
        try {
            new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add)).run(new ScriptSource(
                    dir.resolve("t" + binary + ".mig").toString(), "set batch 7\nconnect s 'jdbc:sqlite:" + db + "' readonly\nconnect p '"
                            + url + "'\nmap s.src -> p.times key id {\n  id -> id\n  t -> tz\n  t -> ts\n  t -> tz3\n  n -> i\n  n -> s\n"
                            + "  n -> b\n  flag -> f\n}\n"));
        } finally {
            System.clearProperty("mig.copy.binary");
        }
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery("SELECT id, tz::text, ts::text, tz3::text, i, s, b, f FROM times")) {
                while (rs.next()) {
                    rows.put(String.format("%03d", rs.getLong(1)), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                            + rs.getString(5) + "|" + rs.getString(6) + "|" + rs.getString(7) + "|" + rs.getString(8));
                }
            }
        }
        return rows;
    }

    @Test
    void timesIntegersAndBooleansInBinaryAreWhatPostgresMakesOfTheirText() throws Exception {
        String url = Pg.newDatabase();
        List<String> textOut = new ArrayList<>();
        Map<String, String> text = loadTimes(url, false, textOut);
        long before = PgCopyWriter.BINARY_BATCHES.get();
        List<String> binaryOut = new ArrayList<>();
        Map<String, String> binary = loadTimes(url, true, binaryOut);
        assertTrue(PgCopyWriter.BINARY_BATCHES.get() - before >= 25, "the batches without a value left to PostgreSQL went in binary: "
                + (PgCopyWriter.BINARY_BATCHES.get() - before));
        String counts = textOut.stream().filter(l -> l.contains("map s.src")).findFirst().orElseThrow();
        assertTrue(counts.contains("read 420, written 395, rejected 25"), counts); // 8 times PostgreSQL refuses (Feb 30, garbage, +16:00, year 0), 17 numbers out of range
        assertEquals(counts.replaceAll(" \\(.*", ""), binaryOut.stream().filter(l -> l.contains("map s.src")).findFirst().orElseThrow()
                .replaceAll(" \\(.*", ""));
        assertEquals(text, binary);
        assertEquals("2024-07-01 12:00:00+00|2024-07-01 17:30:00|2024-07-01 12:00:00+00|1|1|1|t", binary.get("005"),
                "an offset +0530 moves timestamptz, a timestamp ignores it");
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
        assertTrue(binary.get(new UUID(7, 1).toString()).contains("😀"), binary.get(new UUID(7, 1).toString()));
    }
}
