package dev.mig.run.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map's fast path (DirectRows: plain lines straight into binary COPY) against the ordinary path
 * (-Dmig.direct=false) on values of every shape the fast path must take or leave alone: the same rows as
 * PostgreSQL reads them back, the same counts, the same rejects with the same reasons.
 */
class DirectRowsTest {
    @TempDir
    Path dir;

    private static final Object[] TEXTS = {"plain", null, "é unicode 😀", "tab\tnew\nline\\back", "bad\0nul", 42L, 3.5,
        new byte[] {0, (byte) 0xff}, "", "INVALID-UTF8", "a real \uFFFD kept"};
    private static final Object[] EVENTS = {"add", "update", null, "délete", "ADD", "", 7L, "ß", "none"};
    private static final Object[] TIMES = {"2024-07-01T17:30:00.120000+00:00", "2024-07-01T17:30:00Z", "2024-07-01T17:30:00-07:00",
        "2024-03-01 00:25:02.955276", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2024-07-01T17:30:00+0530",
        "2024-07-01T17:30:00+05", null, "2024-07-01T17:30:00.5+00:00", "1969-07-20T20:17:40Z", "2024-07-01 17:30:00+00",
        "2024-07-01T17:30:00.1234567+00:00", "2024-07-01T17:30:00.1234560Z", "2024-02-30T00:00:00Z", "garbage",
        "2024-07-01T24:00:00Z", "2024-07-01T17:30:00+16:00", "2024-07-01T17:30:00+18:00", "0000-01-01T00:00:00Z",
        " 2024-07-01T17:30:00Z", 1719855000L, 1719855000123L, 1.7198550005E9, "2024-02-29T12:00:00Z", "2024-07-01T17:30:00z"};
    private static final Object[] NUMBERS = {0L, 1L, null, -1L, 32767L, 32768L, 2147483647L, 2147483648L, "1", 1.0, "x", 2.5,
        Long.MIN_VALUE};
    private static final Object[] SHORT = {"abc", "abcdef", null, "ééééé", "ééééééé"};

    private static final String MAP = """
            set batch 7
            connect s 'jdbc:sqlite:%s' readonly
            connect p '%s'
            map s.src -> p.dst key id {
              id             -> id
              coalesce(a, b) -> ab
              a              -> a_text
              upper(ev)      -> ev
              utc(t)         -> tz
              utc(t)         -> ts
              utc(t)         -> tz3
              n              -> i as int default 0
              n              -> sm
              n              -> big as bigint
              n              -> nn
              null           -> nothing
              u              -> short
            }
            """;

    private Path source() throws Exception {
        Path db = dir.resolve("src.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            // no declared types: SQLite keeps each value as it was given (text, integer, real, blob)
            s.execute("CREATE TABLE src (id TEXT PRIMARY KEY, a, b, ev, t, n, u)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO src VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 1800; i++) {
                    boolean plain = i >= 900; // then rows as mem0 wrote them, which should all go the fast way
                    ps.setString(1, String.format("k%04d", i));
                    ps.setObject(2, plain ? "memory " + i : TEXTS[i % TEXTS.length]);
                    ps.setObject(3, i % 4 == 0 ? "b" + i : null);
                    ps.setObject(4, EVENTS[(i / 2) % (plain ? 2 : EVENTS.length)]);
                    ps.setObject(5, TIMES[i % (plain ? 4 : TIMES.length)]);
                    ps.setObject(6, NUMBERS[(i / 3) % (plain ? 3 : NUMBERS.length)]);
                    ps.setObject(7, SHORT[(i / 5) % (plain ? 1 : SHORT.length)]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            s.execute("UPDATE src SET a = CAST(X'61FF62' AS TEXT) WHERE a = 'INVALID-UTF8'"); // not UTF-8: rejected, never replaced
        }
        return db;
    }

    private record Outcome(Map<String, String> rows, String counts, List<String> rejects) {
    }

    private Outcome run(Path source, boolean direct) throws Exception {
        String url = Pg.newDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dst (id text PRIMARY KEY, ab text, a_text text, ev text, tz timestamptz, ts timestamp, "
                    + "tz3 timestamp(3) with time zone, i integer, sm smallint, big bigint, nn integer NOT NULL, nothing text, "
                    + "short varchar(5))");
        }
        Path base = Files.createDirectories(dir.resolve(direct ? "direct" : "ordinary"));
        List<String> out = new ArrayList<>();
        System.setProperty("mig.direct", String.valueOf(direct));
        try {
            new ScriptRunner(new RunOptions(false, Map.of(), base, out::add)).run(new ScriptSource(
                    base.resolve("m.mig").toString(), MAP.formatted(source, url)));
        } finally {
            System.clearProperty("mig.direct");
        }
        String counts = out.stream().filter(l -> l.contains("map s.src")).findFirst().orElseThrow(() -> new AssertionError(out))
                .replaceAll(" \\(.*", "");
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery("SELECT * FROM dst")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int k = 2; k <= n; k++) {
                        row.append(rs.getString(k)).append('|');
                    }
                    rows.put(rs.getString(1), row.toString());
                }
            }
        }
        Path rejectsFile = base.resolve("m.rejects.jsonl");
        List<String> rejects = Files.exists(rejectsFile) ? new ArrayList<>(Files.readAllLines(rejectsFile)) : List.of();
        rejects = rejects.stream().map(r -> r.replace(base.toString(), "DIR")).sorted().toList(); // the script's path differs
        return new Outcome(rows, counts, rejects);
    }

    @Test
    void theFastPathWritesWhatTheOrdinaryPathWrites() throws Exception {
        Path source = source();
        Outcome ordinary = run(source, false);
        long before = DirectRows.ROWS.sum();
        Outcome direct = run(source, true);
        long fast = DirectRows.ROWS.sum() - before;
        assertTrue(fast >= 900 && fast < 1800, "the plain half and some others took the fast path, not all: " + fast);
        assertEquals(ordinary.counts, direct.counts);
        assertTrue(ordinary.counts.startsWith("line 4: map s.src -> p.dst: read 1800, written "), ordinary.counts);
        assertTrue(!ordinary.counts.endsWith("rejected 0"), "some rows are refused: " + ordinary.counts);
        assertEquals(ordinary.rejects, direct.rejects);
        assertEquals(ordinary.rows, direct.rows);
        // what each path wrote for a plain row, a naive time, an offset, a NUL and bytes that are not UTF-8
        assertEquals("plain|plain|ADD|2024-07-01 17:30:00.12+00|2024-07-01 17:30:00.12|2024-07-01 17:30:00.12+00|0|0|0|0|null|abc|",
                direct.rows.get("k0000"));
        assertTrue(direct.rows.get("k0003").contains("|2024-03-01 00:25:02.955276+00|2024-03-01 00:25:02.955276|"
                + "2024-03-01 00:25:02.955+00|"), direct.rows.get("k0003"));
        assertNull(direct.rows.get("k0004"), "a NUL is rejected");
        assertTrue(direct.rejects.stream().anyMatch(r -> r.contains("\"k0004\"") && r.contains("0x00")), String.join("\n", direct.rejects));
        assertTrue(direct.rows.values().stream().noneMatch(r -> r.endsWith("|abcde|") || r.endsWith("|ééééé|") && false),
                "text too long for varchar(5) is refused, never cut: " + direct.rows.values().stream().filter(r -> r.endsWith("|abcde|")).toList());
        assertNull(direct.rows.get("k0009"), "bytes that are not UTF-8 are rejected, never replaced");
        assertTrue(direct.rows.get("k0010").startsWith("a real \uFFFD kept|a real \uFFFD kept|"), "a U+FFFD written as such is text: "
                + direct.rows.get("k0010"));
    }
}
