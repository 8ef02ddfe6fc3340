package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Timestamps;
import dev.mig.data.Values;
import dev.mig.run.Pg;
import dev.mig.run.RunOptions;
import dev.mig.run.ScriptRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every script of scripts/mem0 against generated legacy data, on SQLite and on PostgreSQL,
 * checked with plain SQL against an untouched copy of the same data.
 */
class Mem0PackTest {
    static final int ROWS = 2500;

    @TempDir
    Path dir;

    private String run(String script, Map<String, String> env) throws Exception {
        String text = Files.readString(Path.of("scripts/mem0", script));
        Map<String, String> all = new HashMap<>(env);
        all.put("MIG_OUT", dir.resolve("out").toString());
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, all, dir, out::add))
                .run(new ScriptRunner.Source("scripts/mem0/" + script, text));
        String printed = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, printed);
        assertTrue(printed.contains(" matched, 0 mismatched"), printed);
        return printed;
    }

    private Path sqlite(String name, SqlConsumer generate) throws Exception {
        Path file = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            generate.accept(c);
        }
        return file;
    }

    interface SqlConsumer {
        void accept(Connection c) throws SQLException;
    }

    /** G2 rows by id, from any connection. */
    private static Map<String, Map<String, Object>> g2(Connection c) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, memory_id, old_memory, new_memory, "
                + "event, created_at, updated_at, is_deleted, actor_id, role FROM history")) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (String col : List.of("memory_id", "old_memory", "new_memory", "event", "created_at", "updated_at", "actor_id",
                        "role")) {
                    Object v = rs.getObject(col);
                    row.put(col, v instanceof java.sql.Timestamp || v instanceof java.time.OffsetDateTime
                            ? Timestamps.utc(rs.getObject(col, java.time.OffsetDateTime.class)) : v);
                }
                row.put("is_deleted", rs.getInt("is_deleted"));
                rows.put(rs.getString("id"), row);
            }
        }
        return rows;
    }

    private static void assertUtc(Object value, String what) {
        assertNotNull(value, what);
        Instant.parse(value.toString()); // ISO-8601 UTC ('Z') or it throws
        assertTrue(value.toString().endsWith("Z"), what + " " + value);
    }

    private void checkG0(Path pristine, Map<String, Map<String, Object>> migrated) throws Exception {
        int n = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + pristine); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, memory_id, prev_value, new_value, event, timestamp, is_deleted FROM history")) {
            while (rs.next()) {
                Map<String, Object> row = migrated.get(rs.getString(1));
                assertNotNull(row, "legacy row missing: " + rs.getString(1));
                assertEquals(rs.getString(2), row.get("memory_id"));
                assertEquals(rs.getString(3), row.get("old_memory"));
                assertEquals(rs.getString(4), row.get("new_memory"));
                assertEquals(rs.getString(5).toUpperCase(), row.get("event"));
                assertEquals(Timestamps.utc(rs.getString(6)), Timestamps.utc(row.get("created_at")));
                assertEquals(Timestamps.utc(rs.getString(6)), Timestamps.utc(row.get("updated_at")));
                assertUtc(row.get("created_at"), "created_at");
                assertEquals(rs.getInt(7), row.get("is_deleted"));
                n++;
            }
        }
        assertEquals(ROWS, n);
        assertEquals(ROWS, migrated.size());
    }

    private void checkG1(Path pristine, Map<String, Map<String, Object>> migrated) throws Exception {
        int n = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + pristine); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, memory_id, old_memory, new_memory, new_value, event, created_at, updated_at, "
                     + "is_deleted FROM history")) {
            while (rs.next()) {
                Map<String, Object> row = migrated.get(rs.getString(1));
                assertNotNull(row, "legacy row missing: " + rs.getString(1));
                assertEquals(rs.getString(3), row.get("old_memory"));
                assertEquals(rs.getString(4) != null ? rs.getString(4) : rs.getString(5), row.get("new_memory"));
                assertEquals(rs.getString(6).toUpperCase(), row.get("event"));
                assertEquals(Timestamps.utc(rs.getString(7)), Timestamps.utc(row.get("created_at")));
                assertUtc(row.get("created_at"), "created_at");
                assertEquals(Timestamps.utc(rs.getString(8)), row.get("updated_at") == null ? null : Timestamps.utc(row.get("updated_at")));
                n++;
            }
        }
        assertEquals(ROWS, n);
        assertEquals(ROWS, migrated.size());
    }

    @Test
    void historyG0InPlaceOnSqlite() throws Exception {
        Path db = sqlite("g0.db", c -> LegacyData.historyG0(c, ROWS, 1));
        Path pristine = sqlite("g0-copy.db", c -> LegacyData.historyG0(c, ROWS, 1));
        run("001_history_g0_sqlite.mig", Map.of("MEM0_HISTORY_G0_URL", "jdbc:sqlite:" + db));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            checkG0(pristine, g2(c));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE name IN ('history_g2') OR (name = 'history' AND sql LIKE '%prev_value%')")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "G2 has the name mem0 expects and the G0 table is gone");
            }
        }
        String manifest = Files.readString(dir.resolve("out/001_history_g0.archive.jsonl.gz.manifest.json"));
        assertTrue(manifest.contains("\"rows\" : " + ROWS), manifest);
    }

    @Test
    void historyG1InPlaceOnSqlite() throws Exception {
        Path db = sqlite("g1.db", c -> LegacyData.historyG1(c, ROWS, 2));
        Path pristine = sqlite("g1-copy.db", c -> LegacyData.historyG1(c, ROWS, 2));
        run("002_history_g1_sqlite.mig", Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + db));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            checkG1(pristine, g2(c));
        }
    }

    @Test
    void historyG0AndG1ToPostgres() throws Exception {
        Path g0 = sqlite("g0.db", c -> LegacyData.historyG0(c, ROWS, 3));
        Path g0copy = sqlite("g0-copy.db", c -> LegacyData.historyG0(c, ROWS, 3));
        String pg0 = Pg.newDatabase();
        run("003_history_g0_to_postgres.mig", Map.of("MEM0_HISTORY_G0_URL", "jdbc:sqlite:" + g0, "MEM0_PG_URL", pg0));
        try (Connection c = Pg.connect(pg0)) {
            checkG0(g0copy, g2(c));
        }
        Path g1 = sqlite("g1.db", c -> LegacyData.historyG1(c, ROWS, 4));
        Path g1copy = sqlite("g1-copy.db", c -> LegacyData.historyG1(c, ROWS, 4));
        String pg1 = Pg.newDatabase();
        run("004_history_g1_to_postgres.mig", Map.of("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + g1, "MEM0_PG_URL", pg1));
        try (Connection c = Pg.connect(pg1)) {
            checkG1(g1copy, g2(c));
        }
    }

    @Test
    void typeScriptHistoryOnSqlite() throws Exception {
        Path db = sqlite("ts.db", c -> LegacyData.tsMemoryHistory(c, ROWS, 5));
        Path pristine = sqlite("ts-copy.db", c -> LegacyData.tsMemoryHistory(c, ROWS, 5));
        run("005_ts_memory_history_sqlite.mig", Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + db));
        Map<String, Map<String, Object>> migrated;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            migrated = g2(c);
        }
        int n = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + pristine); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, memory_id, previous_value, new_value, action, created_at, updated_at FROM memory_history")) {
            while (rs.next()) {
                Map<String, Object> row = migrated.get(Long.toString(rs.getLong(1)));
                assertNotNull(row, "missing " + rs.getLong(1));
                assertEquals(rs.getString(3), row.get("old_memory"));
                assertEquals(rs.getString(4), row.get("new_memory"));
                assertEquals(rs.getString(5), row.get("event"));
                assertEquals(Timestamps.utc(rs.getString(6)), row.get("created_at"));
                n++;
            }
        }
        assertEquals(ROWS, n);
    }

    private void checkCollection(String url, Map<String, String> vectorsBefore, Map<String, JsonNode> payloadsBefore,
                                 String identityBefore) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            String cast = url.startsWith("jdbc:postgresql") ? "::text" : "";
            try (ResultSet rs = s.executeQuery("SELECT id" + cast + ", vector" + cast + ", payload" + cast + " FROM mem0")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertEquals(vectorsBefore.get(rs.getString(1)), rs.getString(2), "vector changed");
                    JsonNode after = Values.parseJson(rs.getString(3));
                    JsonNode before = payloadsBefore.get(rs.getString(1));
                    String data = after.get("data").asText();
                    assertEquals(DigestUtils.md5Hex(data.getBytes(StandardCharsets.UTF_8)), after.get("hash").asText());
                    assertUtc(after.get("created_at").asText(), "created_at");
                    assertUtc(after.get("updated_at").asText(), "updated_at");
                    assertEquals(Timestamps.utc(before.get("created_at")), after.get("created_at").asText());
                    JsonNode updatedBefore = before.get("updated_at");
                    assertEquals(Timestamps.utc(updatedBefore == null || updatedBefore.isNull() ? before.get("created_at") : updatedBefore),
                            after.get("updated_at").asText());
                    before.fieldNames().forEachRemaining(k -> {
                        if (!List.of("created_at", "updated_at", "hash").contains(k)) {
                            assertEquals(before.get(k), after.get(k), "payload key " + k + " changed");
                        }
                    });
                }
                assertEquals(ROWS, n);
            }
            assertEquals(identityBefore, identities(c, cast));
        }
    }

    private static String identities(Connection c, String cast) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id" + cast + ", vector" + cast + ", payload" + cast + " FROM mem0migrations ORDER BY 1")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(rs.getString(2)).append(rs.getString(3)).append('\n');
            }
        }
        return out.toString();
    }

    private void collection(String url, boolean postgres) throws Exception {
        Map<String, String> vectors = new HashMap<>();
        Map<String, JsonNode> payloads = new HashMap<>();
        String identity;
        String cast = postgres ? "::text" : "";
        try (Connection c = DriverManager.getConnection(url)) {
            LegacyData.collection(c, "mem0", ROWS, 6, postgres ? "real[]" : "TEXT", postgres);
            LegacyData.mem0migrations(c, postgres ? "real[]" : "TEXT", postgres);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id" + cast + ", vector" + cast + ", payload" + cast + " FROM mem0")) {
                while (rs.next()) {
                    vectors.put(rs.getString(1), rs.getString(2));
                    payloads.put(rs.getString(1), Values.parseJson(rs.getString(3)));
                }
            }
            identity = identities(c, cast);
        }
        String out = run("006_collection_payloads.mig", Map.of("MEM0_COLLECTION_URL", url));
        assertTrue(out.contains("pgvector collection"), out);
        assertTrue(out.contains("(unchanged since line"), "mem0migrations digest unchanged:\n" + out);
        checkCollection(url, vectors, payloads, identity);
    }

    @Test
    void collectionPayloadsOnSqlite() throws Exception {
        collection("jdbc:sqlite:" + dir.resolve("collection.db"), false);
    }

    @Test
    void collectionPayloadsOnPostgres() throws Exception {
        collection(Pg.newDatabase(), true);
    }

    @Test
    void theDemoRunsTwiceAndEveryChecksumPasses() {
        for (int i = 0; i < 2; i++) {
            List<String> out = new ArrayList<>();
            assertTrue(Demo.run(dir.resolve("demo"), 600, 42, out::add), String.join("\n", out));
            String printed = String.join("\n", out);
            assertEquals(4, printed.split("   PASS").length - 1, printed);
            assertTrue(printed.contains("found     history: 600 rows, history G0 (<= 0.0.9)"), printed);
            assertTrue(printed.contains("mem0 payloads: created_at epoch"), printed);
            assertTrue(printed.contains("All 4 scripts applied and every checksum passed."), printed);
            assertFalse(printed.contains("FAILED"), printed);
        }
    }
}
