package dev.mig.run.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
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
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A map run as SQL inside the database writes and rejects exactly what the same map streamed
 * through mig does, for every awkward value the translation has to get right or leave to mig.
 */
public class PushdownTest {
    @TempDir
    Path dir;

    /** Timestamp forms: those SQL handles, and those it must leave to mig (or that mig rejects). */
    static final List<String> TIMES = List.of(
            "\"2024-07-01T10:30:00Z\"", "\"2024-07-01T10:30:00.123456-07:00\"", "\"2024-07-01T10:30:00.120000-07:00\"",
            "\"2024-07-01T10:30:00.1+05:30\"", "\"2024-07-01 10:30:00\"", "\"2024-07-01\"", "\"2024-07-01T10:30\"",
            "\"2024-01-01T00:00:00.000001Z\"", "\"1999-12-31T23:59:59.999Z\"", "1718900000", "1718900000.5",
            "1718900000.123456", "1718900000.1234567", "\"1718900000\"", "\"1718900000.25\"", "1718900000123",
            "1718900000123.5", "100000000000", "\"+1718900000\"", "\"2024-02-30T00:00:00Z\"", "\"2024-07-01T24:00:00Z\"",
            "\"2024-07-01T23:59:60Z\"", "\"yesterday\"", "\"\"", "\" 2024-07-01T10:00:00Z\"", "\"2024-07-01T10:00:00z\"",
            "\"2024-07-01 10:00:00 UTC\"", "\"2024-07-01T10:00:00+0000\"", "\"2024-07-01T10:00:00+00\"", "\"0000-01-01\"",
            "\"2024-07-01T10:00:00+18:00\"", "\"2024-07-01T10:00:00.123456789Z\"", "\"0024-07-01T10:00:00Z\"", "true",
            "null", "{\"a\": 1}", "[1, 2]", "\"2024-13-01T00:00:00Z\"", "\"July 1, 2024\"", "\"2024-07-01T10:00:00-00:00\"");
    static final List<String> EVENTS = List.of("add", "ADD", "update", "ümlaut", "straße", "i", "");

    /**
     * The map both ways run: every function a translator writes as SQL is here (FunctionsInSqlTest holds the
     * translators to this list), on every awkward value above.
     */
    public static final String LINES = """
              id                     -> id
              upper(event)           -> event
              utc(payload.ts)        -> ts
              payload.*              -> doc.*
              utc(coalesce(payload.upd, payload.ts)) -> doc.ts
              md5(payload.data)      -> doc.hash
              lower(event) || '!'    -> doc.shout
              concat(event, '/', payload.data, n) -> doc.joined
              n                      -> n as int default 0
            """;

    @Test
    void postgresMapsInTheDatabaseWriteAndRejectWhatMigDoes() throws Exception {
        String url = Pg.newDatabase();
        try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id TEXT PRIMARY KEY, event TEXT, payload JSONB, n INTEGER)");
            fill(c, true);
            for (String t : List.of("out_sql", "out_mig")) {
                s.execute("CREATE TABLE " + t + " (id TEXT PRIMARY KEY, event TEXT, ts TIMESTAMPTZ, doc JSONB, n INTEGER)");
            }
            s.execute("CREATE TABLE in_sql AS SELECT * FROM src; ALTER TABLE in_sql ADD PRIMARY KEY (id)");
            s.execute("CREATE TABLE in_mig AS SELECT * FROM src; ALTER TABLE in_mig ADD PRIMARY KEY (id)");
        }
        compare(url, "pg");
    }

    @Test
    void sqliteMapsInTheDatabaseWriteAndRejectWhatMigDoes() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("p.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id TEXT PRIMARY KEY, event TEXT, payload TEXT, n INTEGER)");
            fill(c, false);
            // SQLite keeps what it is given: an integer in a text column, text in an integer one, bad JSON
            s.execute("INSERT INTO src VALUES ('odd-1', 42, '{\"ts\": \"2024-07-01T10:30:00Z\", \"data\": \"x\"}', 'seven')");
            s.execute("INSERT INTO src VALUES ('odd-2', 'add', '{not json', 1)");
            s.execute("INSERT INTO src VALUES ('odd-3', 'add', 17, 1)");
            s.execute("INSERT INTO src VALUES ('odd-4', 'add', '{\"ts\": 1718900000.5, \"data\": 5}', 2.5)");
            for (String t : List.of("out_sql", "out_mig")) {
                s.execute("CREATE TABLE " + t + " (id TEXT PRIMARY KEY, event TEXT, ts DATETIME, doc TEXT, n INTEGER)");
            }
            s.execute("CREATE TABLE in_sql (id TEXT PRIMARY KEY, event TEXT, payload TEXT, n INTEGER)");
            s.execute("INSERT INTO in_sql SELECT * FROM src");
            s.execute("CREATE TABLE in_mig (id TEXT PRIMARY KEY, event TEXT, payload TEXT, n INTEGER)");
            s.execute("INSERT INTO in_mig SELECT * FROM src");
        }
        compare(url, "sqlite");
    }

    private void fill(Connection c, boolean pg) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO src VALUES (?, ?, " + (pg ? "CAST(? AS jsonb)" : "?") + ", ?)")) {
            int id = 0;
            for (int i = 0; i < 2500; i++) {
                String time = TIMES.get(i % TIMES.size());
                String updated = i % 3 == 0 ? "null" : TIMES.get((i * 7) % TIMES.size());
                String data = i % 11 == 0 ? "null" : i % 13 == 0 ? "12.50" : "\"memory " + i + " ☕\"";
                String payload = i % 97 == 0 ? "[1, 2]" : "{\"ts\": " + time + ", \"upd\": " + updated + ", \"data\": " + data
                        + (i % 5 == 0 ? ", \"extra\": {\"k\": null}" : "") + "}";
                ps.setString(1, String.format("id-%05d", id++));
                ps.setString(2, i % 17 == 0 ? null : EVENTS.get(i % EVENTS.size()));
                ps.setString(3, payload);
                if (i % 19 == 0) {
                    ps.setNull(4, Types.INTEGER);
                } else {
                    ps.setInt(4, i);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void compare(String url, String kind) throws Exception {
        String lines = LINES;
        String inPlace = """
                  utc(payload.ts)                         -> payload.ts
                  utc(coalesce(payload.upd, payload.ts))  -> payload.upd
                  md5(payload.data)                       -> payload.hash
                  upper(event)                            -> event
                """;
        String script = """
                migration 1 'pushdown equivalence'
                connect db '%s'
                set batch 50
                map db.src -> db.out_sql key id {
                %s}
                map db.in_sql -> db.in_sql key id {
                %s} where payload.data is not null
                set pushdown off
                map db.src -> db.out_mig key id {
                %s}
                map db.in_mig -> db.in_mig key id {
                %s} where payload.data is not null
                """.formatted(url, lines, inPlace, lines, inPlace);
        List<String> out = run(script);
        String printed = String.join("\n", out);
        List<String> maps = out.stream().filter(l -> l.contains(": map db.")).toList();
        assertEquals(4, maps.size(), printed);
        // the SQL path really ran, and left some rows to mig
        Matcher pushed = Pattern.compile("; (\\d+) rows written by SQL").matcher(maps.get(0));
        assertTrue(pushed.find() && Long.parseLong(pushed.group(1)) > 200, maps.get(0));
        assertTrue(maps.get(1).contains("rows written by SQL"), maps.get(1));
        assertEquals(counts(maps.get(2)), counts(maps.get(0)), printed);
        assertEquals(counts(maps.get(3)), counts(maps.get(1)), printed);
        assertTrue(counts(maps.get(2)).get(2) > 0, "some rows are rejected by mig: " + maps.get(2));
        assertEquals(rows(url, "out_mig", kind), rows(url, "out_sql", kind));
        assertEquals(rows(url, "in_mig", kind), rows(url, "in_sql", kind));
    }

    private static List<Long> counts(String line) {
        Matcher m = Pattern.compile("read (\\d+), written (\\d+), rejected (\\d+)(?: \\(see [^)]*\\))?(?:; (\\d+) rows left out)?")
                .matcher(line);
        assertTrue(m.find(), line);
        return List.of(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
    }

    /** Every row as text, JSON parsed (SQLite's and Jackson's JSON text differ in spacing only). */
    private static Map<String, List<Object>> rows(String url, String table, String kind) throws Exception {
        Map<String, List<Object>> rows = new LinkedHashMap<>();
        try (Connection c = kind.equals("pg") ? Pg.connect(url) : DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 2; i <= n; i++) {
                    Object v = rs.getObject(i);
                    String text = v == null ? null : v.toString();
                    JsonNode json = null;
                    if (text != null && (text.startsWith("{") || text.startsWith("["))) {
                        try {
                            json = Values.parseJson(text);
                        } catch (RuntimeException notJson) {
                            json = null;
                        }
                    }
                    values.add(json != null ? json : v == null ? "NULL" : v.getClass().getSimpleName() + ":" + text);
                }
                rows.put(rs.getString(1), values);
            }
        }
        assertTrue(rows.size() > 100, table + " has " + rows.size() + " rows");
        return rows;
    }

    private List<String> run(String script) throws Exception {
        List<String> out = new ArrayList<>();
        Path file = dir.resolve("script.mig");
        Files.writeString(file, script);
        RunOptions options = new RunOptions(false, Map.of(), dir, out::add);
        ScriptRunner.Outcome outcome = new ScriptRunner(options).run(new ScriptSource(file.toString(), script));
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", out));
        return out;
    }
}
