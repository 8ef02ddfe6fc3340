package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.cli.Main;
import dev.mig.data.Timestamps;
import dev.mig.mem0.LegacyData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interpreter's acceptance case: a G0 mem0 history.db (SQLite) migrated into a G2 history
 * table in PostgreSQL from the command line, then checksummed, sampled and asserted; checked
 * independently with plain SQL. A dry run of the same script leaves both databases unchanged.
 */
class G0ToPostgresEndToEndTest {
    static final int ROWS = 3000;

    @TempDir
    Path dir;

    static String script(Path legacy, String pgUrl) {
        return """
                migration 1 'mem0 history G0 (SQLite) -> G2 (PostgreSQL)'
                connect legacy 'jdbc:sqlite:%s' readonly
                connect new '%s'
                inventory legacy
                sql new '''
                CREATE TABLE IF NOT EXISTS history (
                  id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT, event TEXT,
                  created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, is_deleted BOOLEAN, actor_id TEXT, role TEXT)
                '''
                diff legacy.history new.history
                set batch 500
                map legacy.history -> new.history key id {
                  id             -> id
                  memory_id      -> memory_id
                  prev_value     -> old_memory
                  new_value      -> new_memory
                  upper(event)   -> event
                  utc(timestamp) -> created_at
                  utc(timestamp) -> updated_at
                  is_deleted     -> is_deleted as bool default false
                  null           -> actor_id
                  null           -> role
                }
                checksum legacy.history
                checksum legacy.history -> new.history
                sample 5 legacy.history -> new.history seed 7 to '%s/review/sample.md'
                assert count(new.history) = count(legacy.history)
                assert none new.history where created_at is null
                assert none new.history where event not in ('ADD', 'UPDATE', 'DELETE')
                """.formatted(legacy, pgUrl, legacy.getParent());
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void migratesEveryRowLosslesslyAndProvesIt() throws Exception {
        Path legacy = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy)) {
            LegacyData.historyG0(c, ROWS, 11);
        }
        String pg = Pg.newDatabase();
        Path file = dir.resolve("001_g0.mig");
        Files.writeString(file, script(legacy, pg));
        String[] result = run("run", file.toString());
        assertEquals("0", result[0], result[1] + result[2]);
        assertTrue(result[1].contains("read " + ROWS + ", written " + ROWS + ", rejected 0"), result[1]);
        assertTrue(result[1].contains(ROWS + " matched, 0 mismatched"), result[1]);
        assertTrue(result[1].contains("history G0 (<= 0.0.9)"), result[1]);

        // Independent check: every legacy row is in PostgreSQL with every field where the map says.
        int checked = 0;
        try (Connection lite = DriverManager.getConnection("jdbc:sqlite:" + legacy);
             Connection pgc = Pg.connect(pg);
             Statement s = lite.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, memory_id, prev_value, new_value, event, timestamp, is_deleted FROM history");
             PreparedStatement find = pgc.prepareStatement("SELECT memory_id, old_memory, new_memory, event, created_at, "
                     + "updated_at, is_deleted, actor_id FROM history WHERE id = ?")) {
            while (rs.next()) {
                find.setString(1, rs.getString(1));
                try (ResultSet row = find.executeQuery()) {
                    assertTrue(row.next(), "missing " + rs.getString(1));
                    assertEquals(rs.getString(2), row.getString(1));
                    assertEquals(rs.getString(3), row.getString(2));
                    assertEquals(rs.getString(4), row.getString(3));
                    assertEquals(rs.getString(5).toUpperCase(), row.getString(4));
                    String expected = Timestamps.utc(rs.getString(6));
                    assertEquals(expected, Timestamps.format(row.getObject(5, OffsetDateTime.class).toInstant()));
                    assertEquals(expected, Timestamps.format(row.getObject(6, OffsetDateTime.class).toInstant()));
                    assertEquals(rs.getInt(7) == 1, row.getBoolean(7));
                    assertNull(row.getString(8));
                }
                checked++;
            }
            try (Statement ps = pgc.createStatement();
                 ResultSet count = ps.executeQuery("SELECT count(*) FROM history")) {
                count.next();
                assertEquals(ROWS, count.getInt(1));
            }
            try (Statement ps = pgc.createStatement();
                 ResultSet audit = ps.executeQuery("SELECT count(*), sum(rows_written) FROM mig_audit WHERE outcome = 'ok'")) {
                audit.next();
                assertEquals(14, audit.getInt(1));
                assertEquals(ROWS, audit.getLong(2));
            }
            try (Statement ps = pgc.createStatement();
                 ResultSet history = ps.executeQuery("SELECT version, success, sha256 FROM mig_history")) {
                assertTrue(history.next());
                assertEquals("1", history.getString(1));
                assertEquals(1, history.getInt(2));
                assertEquals(DigestUtils.sha256Hex(Files.readAllBytes(file)), history.getString(3));
            }
        }
        assertEquals(ROWS, checked);
        String sample = Files.readString(dir.resolve("review/sample.md"));
        assertTrue(sample.contains("5 of " + ROWS + " rows, seed 7, 5 as mapped"), sample);
        assertTrue(sample.contains("| prev_value |"), sample);

        // Running again skips; status shows it applied.
        String[] again = run("run", file.toString());
        assertEquals("0", again[0]);
        assertTrue(again[1].contains("already applied"), again[1]);
        String[] status = run("status", file.toString());
        assertTrue(status[1].contains("applied"), status[1]);
    }

    @Test
    void dryRunLeavesBothDatabasesUnchanged() throws Exception {
        Path legacy = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy)) {
            LegacyData.historyG0(c, 500, 12);
        }
        String pg = Pg.newDatabase();
        Path file = dir.resolve("001_g0.mig");
        Files.writeString(file, script(legacy, pg).replace("connect legacy 'jdbc:sqlite:" + legacy + "' readonly",
                "connect legacy 'jdbc:sqlite:" + legacy + "'"));
        String sqliteBefore = DigestUtils.sha256Hex(Files.readAllBytes(legacy));
        List<String> pgBefore = pgState(pg);
        String[] result = run("run", "--dry-run", file.toString());
        assertEquals("0", result[0], result[1] + result[2]);
        assertTrue(result[1].contains("read 500, written 500, rejected 0"), result[1]);
        assertTrue(result[1].contains("500 matched"), result[1]);
        assertTrue(result[1].contains("nothing was committed"), result[1]);
        assertEquals(sqliteBefore, DigestUtils.sha256Hex(Files.readAllBytes(legacy)), "SQLite file changed");
        assertFalse(Files.exists(Path.of(legacy + "-journal")));
        assertEquals(pgBefore, pgState(pg), "PostgreSQL changed");
        assertFalse(Files.exists(dir.resolve("001_g0.audit.jsonl")), "a dry run writes no audit file beside the script");
    }

    /**
     * A source the script only reads - backed up, mapped from, checksummed and sampled, connected without
     * readonly - is never written: the same bytes after the run, no mig_* table in it, and mig's state and
     * snapshot in the database the script wrote.
     */
    @Test
    void aSourceOnlyReadStaysByteForByteTheSame() throws Exception {
        Path legacy = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy)) {
            LegacyData.historyG0(c, 400, 13);
        }
        String pg = Pg.newDatabase();
        Path file = dir.resolve("001_g0.mig");
        Files.writeString(file, script(legacy, pg).replace("connect legacy 'jdbc:sqlite:" + legacy + "' readonly",
                "connect legacy 'jdbc:sqlite:" + legacy + "'").replace("inventory legacy",
                "inventory legacy\nbackup legacy.history to '" + dir.resolve("history.jsonl.gz") + "'"));
        String before = DigestUtils.sha256Hex(Files.readAllBytes(legacy));
        String[] result = run("run", file.toString());
        assertEquals("0", result[0], result[1] + result[2]);
        assertTrue(result[1].contains("400 matched, 0 mismatched"), result[1]);
        assertEquals(before, DigestUtils.sha256Hex(Files.readAllBytes(legacy)), "the source file changed");
        try (Connection lite = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement s = lite.createStatement();
             ResultSet rs = s.executeQuery("SELECT group_concat(name) FROM sqlite_master WHERE name LIKE 'mig%'")) {
            rs.next();
            assertNull(rs.getString(1), "mig's tables in a source it only read");
        }
        try (Connection pgc = Pg.connect(pg); Statement s = pgc.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM mig_history), (SELECT count(*) FROM mig_snapshot "
                     + "WHERE table_name = 'history')")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "mig_history in the database the script wrote");
            assertEquals(1, rs.getInt(2), "the written database's snapshot");
        }
        String[] again = run("run", file.toString());
        assertTrue(again[1].contains("already applied"), again[1]);
        assertEquals(before, DigestUtils.sha256Hex(Files.readAllBytes(legacy)), "the source file changed on the second run");
    }

    /** Every table of the database with its row count and a digest of its rows. */
    static List<String> pgState(String url) throws Exception {
        List<String> state = new ArrayList<>();
        try (Connection c = Pg.connect(url); Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String name : names) {
                try (Statement q = c.createStatement();
                     ResultSet rs = q.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM "
                             + name + " t")) {
                    rs.next();
                    state.add(name + ":" + rs.getLong(1) + ":" + rs.getString(2));
                }
            }
        }
        assertNotNull(state);
        return state;
    }
}
