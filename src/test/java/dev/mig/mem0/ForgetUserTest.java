package dev.mig.mem0;

import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.rows;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.run.Pg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 020_forget_user on a Python mem0 store (pgvector-shaped collection and entities on PostgreSQL, G2
 * history in SQLite) with backups mig took earlier: the user's memories, their history, the user's
 * entities and the user's rows in every backup go; everyone else's stay; the receipt has counts, not
 * content. Checked with plain SQL and by reading the backup files without mig.
 */
class ForgetUserTest {
    private static final String A1 = "00000000-0000-0000-0000-0000000000a1";
    private static final String A2 = "00000000-0000-0000-0000-0000000000a2";
    private static final String B1 = "00000000-0000-0000-0000-0000000000b1";

    @TempDir
    Path dir;

    @Test
    void aUserIsForgottenEverywhereAndOnlyThatUser() throws Exception {
        String url = Pg.newDatabase();
        try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE mem0 (id uuid PRIMARY KEY, vector real[], payload jsonb)");
            s.execute("CREATE TABLE mem0_entities (id uuid PRIMARY KEY, vector real[], payload jsonb)");
            s.execute("INSERT INTO mem0 VALUES ('" + A1 + "', '{1,2}', '{\"data\": \"alice likes tea\", \"user_id\": \"alice\"}'), "
                    + "('" + A2 + "', '{3,4}', '{\"data\": \"alice lives in Oslo\", \"user_id\": \"alice\", \"agent_id\": \"x\"}'), "
                    + "('" + B1 + "', '{5,6}', '{\"data\": \"bob likes coffee\", \"user_id\": \"bob\"}')");
            s.execute("INSERT INTO mem0_entities VALUES ('00000000-0000-0000-0000-0000000000e1', '{1,1}', '{\"data\": \"Oslo\", "
                    + "\"entity_type\": \"LOCATION\", \"linked_memory_ids\": [\"" + A2 + "\"], \"user_id\": \"alice\"}'), "
                    + "('00000000-0000-0000-0000-0000000000e2', '{2,2}', '{\"data\": \"coffee\", \"entity_type\": \"THING\", "
                    + "\"linked_memory_ids\": [\"" + B1 + "\"], \"user_id\": \"bob\"}')");
        }
        Path history = dir.resolve("history.db");
        try (Connection c = sqlite(history)) {
            RetentionPackTest.g2(c);
            RetentionPackTest.event(c, "h1", A1, null, "alice likes tea", "ADD", "2026-01-01T10:00:00+00:00", null, 0);
            RetentionPackTest.event(c, "h2", A1, "alice likes tea", "alice likes green tea", "UPDATE", "2026-01-01T10:00:00+00:00",
                    "2026-02-01T10:00:00+00:00", 0);
            RetentionPackTest.event(c, "h3", A2, null, "alice lives in Oslo", "ADD", "2026-01-02T10:00:00+00:00", null, 0);
            RetentionPackTest.event(c, "h4", B1, null, "bob likes coffee", "ADD", "2026-01-03T10:00:00+00:00", null, 0);
        }
        Path backups = dir.resolve("backups");
        PackRun.inline(dir, "connect h 'jdbc:sqlite:" + history + "'\nbackup h.history to '" + backups.resolve("history.jsonl.gz") + "'\n");
        PackRun.inline(dir, "connect p '" + url + "'\nbackup p.mem0 to '" + backups.resolve("mem0.jsonl.gz") + "'\n");

        Map<String, String> env = Map.of("MEM0_USER_ID", "alice", "MEM0_PG_URL", url, "MEM0_HISTORY_URL", "jdbc:sqlite:" + history);
        String out = PackRun.applied(dir, "020_forget_user.mig", env);
        try (Connection c = Pg.connect(url)) {
            assertEquals(Set.of(B1), rows(c, "SELECT id FROM mem0").keySet(), out);
            assertEquals(Set.of("00000000-0000-0000-0000-0000000000e2"), rows(c, "SELECT id FROM mem0_entities").keySet());
        }
        try (Connection c = sqlite(history)) {
            assertEquals(Set.of("h4"), rows(c, "SELECT id FROM history").keySet());
        }
        assertFalse(new String(Files.readAllBytes(history), StandardCharsets.ISO_8859_1).contains("alice likes"),
                "alice's text is not left in the history file");

        // the backups: rewritten without alice, still consistent with their manifests, and the recorded digests follow
        assertEquals(Set.of("h4"), ids(backups.resolve("history.jsonl.gz")));
        assertEquals(Set.of(B1), ids(backups.resolve("mem0.jsonl.gz")));
        for (String name : List.of("history.jsonl.gz", "mem0.jsonl.gz")) {
            JsonNode manifest = new ObjectMapper().readTree(backups.resolve(name + ".manifest.json").toFile());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(backups.resolve(name)))),
                    manifest.get("sha256").asText(), name);
            assertEquals(1, manifest.get("rows").asLong(), name);
        }
        try (Connection c = sqlite(history)) {
            JsonNode manifest = new ObjectMapper().readTree(backups.resolve("history.jsonl.gz.manifest.json").toFile());
            assertEquals(1, count(c, "SELECT count(*) FROM mig_backups WHERE digest = '" + manifest.get("digest").asText() + "'"),
                    "rollback verifies the rewritten backup by its new digest");
        }

        JsonNode receipt = receipt();
        assertEquals(3 + 1 + 2 + 3 + 2, receipt.get("rows_removed").asLong(), receipt.toString());
        Set<String> from = new TreeSet<>();
        receipt.get("removed").forEach(r -> from.add(r.get("from").asText() + "=" + r.get("rows").asLong()));
        assertEquals(new TreeSet<>(Set.of("backups of mem0.history=3", "backups of pg.mem0=2", "backups of pg.mem0_entities=0",
                "mem0.history=3", "pg.mem0_entities=1", "pg.mem0=2")), from);
        String text = receipt.toString();
        assertFalse(text.contains("alice") || text.contains("tea") || text.contains("Oslo"), "no content in the receipt: " + text);

        // an id nobody has: nothing changes, and the run says so
        String none = PackRun.applied(dir, "020_forget_user.mig", Map.of("MEM0_USER_ID", "nobody", "MEM0_PG_URL", url,
                "MEM0_HISTORY_URL", "jdbc:sqlite:" + history));
        assertTrue(none.contains("nothing was removed by this run"), none);
        try (Connection c = Pg.connect(url)) {
            assertEquals(1, count(c, "SELECT count(*) FROM mem0"));
        }
    }

    private JsonNode receipt() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("out/forget"))) {
            Path first = s.filter(p -> p.getFileName().toString().startsWith("receipt")).sorted().findFirst().orElseThrow();
            return new ObjectMapper().readTree(first.toFile());
        }
    }

    private static Set<String> ids(Path gz) throws Exception {
        Set<String> ids = new HashSet<>();
        for (JsonNode line : RetentionPackTest.lines(gz)) {
            ids.add(line.get("id").asText());
        }
        return ids;
    }
}
