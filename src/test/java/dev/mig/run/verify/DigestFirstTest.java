package dev.mig.run.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
import dev.mig.mem0.LegacyData;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * checksum A.t -> B.u compares digests first (each side read as stored) and merges key by key only
 * when they differ: the counts must be those of the merge, and equal digests the tables' own digests.
 */
class DigestFirstTest {
    private static final String MAP = """
            map legacy.history -> pg.history key id {
              id             -> id
              memory_id      -> memory_id
              prev_value     -> old_memory
              new_value      -> new_memory
              upper(event)   -> event
              utc(timestamp) -> created_at
              utc(timestamp) -> updated_at
              is_deleted     -> is_deleted as int default 0
            }
            """;

    @TempDir
    Path dir;

    private String run(String name, String script) throws Exception {
        List<String> out = new ArrayList<>();
        Path file = dir.resolve(name + ".mig");
        Files.writeString(file, script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(file.toString(), script));
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", out));
        return String.join("\n", out);
    }

    /** The digest each checksum line recorded in the audit file, in order. */
    private List<String> digests(String name) throws Exception {
        List<String> digests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(name + ".audit.jsonl"))) {
            JsonNode entry = Values.parseJson(line);
            if (entry.path("statement").asText().startsWith("checksum") && entry.hasNonNull("digest")) {
                digests.add(entry.get("digest").asText());
            }
        }
        return digests;
    }

    private Path g0(int rows) throws Exception {
        Path file = dir.resolve("g0.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            LegacyData.historyG0(c, rows, 9);
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE history SET timestamp = 'not a time' WHERE rowid = 17"); // the map rejects this row
            }
        }
        return file;
    }

    /** A new PostgreSQL database with an empty G2 history table; its URL. */
    private static String emptyG2() throws Exception {
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT, event TEXT, "
                    + "created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, is_deleted INTEGER)");
        }
        return pg;
    }

    private String header(Path g0, String pg) {
        return "connect legacy 'jdbc:sqlite:" + g0 + "' readonly\nconnect pg '" + pg + "'\nset batch 100\n";
    }

    @Test
    void equalDigestsAreTheWholeAnswerAndEqualTheTablesOwnDigest() throws Exception {
        Path g0 = g0(2500);
        String pg = emptyG2();
        String out = run("equal", "migration 1 'x'\n" + header(g0, pg) + MAP
                + "checksum legacy.history -> pg.history allow 1\nchecksum pg.history\n");
        assertTrue(out.contains("2499 matched, 0 mismatched, 0 only in legacy.history, 0 only in pg.history, "
                + "1 source rows the map rejects (within allow 1)"), out);
        List<String> digests = digests("equal");
        assertEquals(2, digests.size(), digests.toString());
        String table = digests.get(1);
        assertEquals("source " + table + ", target " + table, digests.get(0));
    }

    @Test
    void differentDigestsFallBackToTheMergeWithExactCounts() throws Exception {
        Path g0 = g0(2500);
        String pg = emptyG2();
        run("map", "migration 1 'x'\n" + header(g0, pg) + MAP);
        String changedId;
        String deletedId; // only its count is reported within the allowance
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + g0); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT id FROM history WHERE rowid IN (100, 200) ORDER BY rowid");
            rs.next();
            changedId = rs.getString(1);
            rs.next();
            deletedId = rs.getString(1);
        }
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement()) {
            s.execute("UPDATE history SET event = 'CHANGED' WHERE id = '" + changedId + "'");
            s.execute("DELETE FROM history WHERE id = '" + deletedId + "'");
            s.execute("INSERT INTO history (id, event) VALUES ('zzz-extra', 'ADD')");
        }
        // no map in this script: the checksum uses the one migration 1 recorded
        String out = run("differ", "migration 2 'y'\n" + header(g0, pg) + "checksum legacy.history -> pg.history allow 10\n");
        assertTrue(out.contains("2497 matched, 1 mismatched, 1 only in legacy.history, 1 only in pg.history, "
                + "1 source rows the map rejects (within allow 10)"), out);
        assertTrue(out.contains("id='" + changedId + "': event expected"), out);
    }

    @Test
    void tablesWithoutRowidOrWithAColumnNamedRowidAreReadInTheirOwnOrder() throws Exception {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        for (Path file : List.of(a, b)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE k (id TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID");
                s.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, rowid TEXT, v TEXT)");
                for (int i = 0; i < 450; i++) {
                    s.execute("INSERT INTO k VALUES ('k" + (i * 7919 % 450) + "', 'v" + i + "')");
                    s.execute("INSERT INTO r VALUES (" + (i * 7919 % 450) + ", 'x" + i + "', 'v" + i + "')");
                }
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + b); Statement s = c.createStatement()) {
            s.execute("UPDATE k SET v = 'other' WHERE id = 'k5'");
            s.execute("UPDATE r SET rowid = 'other' WHERE id = 5");
        }
        String out = run("own", "migration 1 'z'\nconnect a 'jdbc:sqlite:" + a + "'\nconnect b 'jdbc:sqlite:" + b + "'\n"
                + "set batch 100\nchecksum a.k -> b.k allow 1\nchecksum a.r -> b.r allow 1\n");
        assertTrue(out.contains("checksum a.k -> b.k allow 1: 449 matched, 1 mismatched, 0 only in a.k, 0 only in b.k"), out);
        assertTrue(out.contains("checksum a.r -> b.r allow 1: 449 matched, 1 mismatched, 0 only in a.r, 0 only in b.r"), out);
        String equal = run("own2", "migration 1 'z'\nconnect a 'jdbc:sqlite:" + a + "'\nconnect b 'jdbc:sqlite:" + a + "'\n"
                + "set batch 100\nchecksum a.k -> b.k\nchecksum a.r -> b.r\n");
        assertTrue(equal.contains("checksum a.k -> b.k: 450 matched, 0 mismatched"), equal);
        assertTrue(equal.contains("checksum a.r -> b.r: 450 matched, 0 mismatched"), equal);
    }

    /**
     * The target's timestamps are hashed from PostgreSQL's own text where it is canonical UTC text: every
     * other shape (BC, infinity, five-digit years, a session in another zone, naive times, dates) must
     * give the digest PostgreSQL's SQL computes for the table.
     */
    @Test
    void timestampsHashedFromPostgresTextGiveTheDigestItsSqlGives() throws Exception {
        String a = Pg.newDatabase();
        String b = Pg.newDatabase();
        for (String url : List.of(a, b)) {
            try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMPTZ, naive TIMESTAMP, day DATE)");
                s.execute("INSERT INTO t VALUES (1, '2024-07-01 17:30:00.12+00', '2024-07-01 17:30:00.5', '2024-07-01'),"
                        + " (2, '2024-07-01 19:30:00+02', '0044-03-15 12:00:00 BC', '0044-03-15 BC'),"
                        + " (3, 'infinity', '-infinity', 'infinity'), (4, '12000-01-01 00:00:00.000001+00', '9999-12-31 23:59:59.999999', NULL),"
                        + " (5, '0001-01-01 00:00:00+00', '1999-12-31 23:59:59', '1999-12-31'), (6, NULL, NULL, NULL),"
                        + " (7, '0010-01-01 00:00:00.1+00', '2000-02-29 00:00:00.000010', '2000-02-29')");
            }
        }
        String header = "connect a '" + a + "'\nconnect b '" + b + "'\n";
        String out = run("times", "migration 1 't'\n" + header + "checksum a.t -> b.t\nchecksum b.t\n");
        assertTrue(out.contains("checksum a.t -> b.t: 7 matched, 0 mismatched"), out);
        List<String> digests = digests("times");
        assertEquals("source " + digests.get(1) + ", target " + digests.get(1), digests.get(0));
        String zoned = run("zoned", "migration 2 't'\n" + header + "sql b 'SET TIME ZONE ''Asia/Kolkata'''\n"
                + "checksum a.t -> b.t\nchecksum b.t\n");
        assertTrue(zoned.contains("checksum a.t -> b.t: 7 matched, 0 mismatched"), zoned);
        assertEquals(digests, digests("zoned"));
    }
}
