package dev.mig.mem0;

import static dev.mig.mem0.PackRun.applied;
import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.rows;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Internal;
import dev.mig.mem0.emulation.Life;
import dev.mig.mem0.emulation.Stores;
import dev.mig.watch.Watch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pack against the real things: stores written by the real mem0 TypeScript SDK (npm 2.4.6 and 3.3.1)
 * and read back by it, and real pgvector tables with an HNSW index. Runs in .ci/real-clients.
 */
@Tag("real-clients")
class RealClientsTest {
    @TempDir
    Path dir;

    /** MEM0.md 3: TS v2 rows are invisible to v3's user_id filter; after 011 v3 reads, updates and deletes them. */
    @Test
    void typeScriptV2CollectionIsReadByTheV3SdkAfter011() throws Exception {
        RealSdk sdk = new RealSdk(dir);
        RealSdk.PgServer server = RealSdk.PgServer.fromEnvironment();
        String url = server.newDatabase("mig_real_ts");
        ObjectNode alice = sdk.args().set("pg", server.clientConfig("mig_real_ts"));
        JsonNode ids = sdk.call("v2", "write", RealSdk.write(alice.deepCopy(), "alice",
                List.of("Alice likes pizza", "Alice runs marathons", "Alice has a cat", "Alice lives in Lyon",
                        "Alice speaks Italian", "Alice works nights"),
                Map.of(1, "Alice ran two marathons", 3, "Alice moved to Paris"), List.of(2))).get("ids");
        sdk.call("v2", "write", RealSdk.write(sdk.args().set("pg", server.clientConfig("mig_real_ts")), "bob",
                List.of("Bob drinks tea"), Map.of(), List.of()));

        JsonNode v2View = sdk.call("v2", "getAll", alice.deepCopy().put("user", "alice"));
        assertEquals(5, v2View.size(), v2View.toString());
        assertEquals(0, sdk.call("v3", "getAll", alice.deepCopy().put("user", "alice")).size(),
                "the hazard, with the real SDKs: v3 does not see v2's memories");

        String vectorsBefore;
        String indexesBefore;
        String migrationsBefore;
        try (Connection c = DriverManager.getConnection(url)) {
            vectorsBefore = rows(c, "SELECT id::text, vector::text FROM memories ORDER BY 1").toString();
            indexesBefore = rows(c, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'memories' ORDER BY 1").toString();
            migrationsBefore = rows(c, "SELECT id, user_id FROM memory_migrations ORDER BY 1").toString();
            assertTrue(indexesBefore.contains("hnsw"), indexesBefore);
        }
        applied(dir, "011_ts_collection_v2_to_v3.mig", Map.of("MEM0_COLLECTION_URL", url));
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(vectorsBefore, rows(c, "SELECT id::text, vector::text FROM memories ORDER BY 1").toString(), "vectors untouched");
            assertEquals(indexesBefore, rows(c, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'memories' ORDER BY 1")
                    .toString(), "HNSW index untouched");
            // (the SDK itself rewrites memory_migrations on every start; mig does not touch it)
            assertEquals(migrationsBefore, rows(c, "SELECT id, user_id FROM memory_migrations ORDER BY 1").toString());
            assertEquals(0, count(c, "SELECT count(*) FROM memories WHERE payload ?| array['userId', 'agentId', 'runId']"));
        }

        JsonNode v3View = sdk.call("v3", "getAll", alice.deepCopy().put("user", "alice"));
        assertEquals(byId(v2View).keySet(), byId(v3View).keySet(), v3View.toString());
        for (Map.Entry<String, JsonNode> e : byId(v2View).entrySet()) {
            JsonNode was = e.getValue();
            JsonNode now = byId(v3View).get(e.getKey());
            assertEquals(was.get("memory"), now.get("memory"));
            assertEquals(was.get("hash"), now.get("hash"));
            assertEquals(was.get("createdAt"), now.get("createdAt"));
            assertEquals(was.has("updatedAt") ? was.get("updatedAt") : was.get("createdAt"), now.get("updatedAt"));
            assertEquals("alice", now.get("user_id").asText());
        }
        assertEquals(1, sdk.call("v3", "getAll", alice.deepCopy().put("user", "bob")).size());

        String first = ids.get(0).asText();
        sdk.call("v3", "update", alice.deepCopy().put("id", first).put("text", "Alice likes pizza and pasta"));
        JsonNode got = sdk.call("v3", "get", alice.deepCopy().put("id", first));
        assertEquals("Alice likes pizza and pasta", got.get("memory").asText(), got.toString());
        sdk.call("v3", "delete", alice.deepCopy().put("id", ids.get(4).asText()));
        assertEquals(4, sdk.call("v3", "getAll", alice.deepCopy().put("user", "alice")).size(), "v3 deletes a migrated memory");

        // mig watch (MEM0.md 5): a client still on SDK v2 writes after the migration; v3 cannot see it, watch says so
        List<String> watched = new ArrayList<>();
        assertEquals(0, new Watch(watched::add, Watch.Format.TEXT, dir.resolve("w.jsonl"))
                .once(List.of(url)), String.join("\n", watched));
        sdk.call("v2", "write", RealSdk.write(alice.deepCopy(), "carol", List.of("Carol writes through SDK 2.x"), Map.of(), List.of()));
        assertEquals(0, sdk.call("v3", "getAll", alice.deepCopy().put("user", "carol")).size(), "v3 does not see the v2 write");
        watched.clear();
        assertEquals(1, new Watch(watched::add, Watch.Format.TEXT, dir.resolve("w.jsonl"))
                .once(List.of(url)), String.join("\n", watched));
        String report = String.join("\n", watched);
        assertTrue(report.contains("memories  legacy-writes  1") && report.contains("TS v2 camelCase ids")
                && report.contains("011_ts_collection_v2_to_v3.mig"), report);
    }

    /**
     * memory_history written by v2 then v3 (an upgrade): 005 leaves the SDK's view as it was; 013 copies it for Python;
     * 014 moves it into the table of the SDK's Supabase history store on a real PostgreSQL.
     */
    @Test
    void typeScriptHistoryFromBothSdksStaysReadableAndCopiesToPython() throws Exception {
        RealSdk sdk = new RealSdk(dir);
        Path history = dir.resolve("memory.db");
        ObjectNode v2 = sdk.args().put("historyDb", history.toString()).put("vectorDb", dir.resolve("v2_vectors.db").toString());
        ObjectNode v3 = sdk.args().put("historyDb", history.toString()).put("vectorDb", dir.resolve("v3_vectors.db").toString());
        List<String> ids = new ArrayList<>();
        sdk.call("v2", "write", RealSdk.write(v2.deepCopy(), "bob", List.of("Bob drinks tea", "Bob owns a bike", "Bob reads"),
                Map.of(0, "Bob drinks green tea"), List.of(1))).get("ids").forEach(i -> ids.add(i.asText()));
        sdk.call("v3", "write", RealSdk.write(v3.deepCopy(), "alice", List.of("Alice likes pizza", "Alice has a cat"),
                Map.of(0, "Alice likes pasta"), List.of(1))).get("ids").forEach(i -> ids.add(i.asText()));

        Map<String, String> before = new TreeMap<>();
        for (String id : ids) {
            before.put(id, sdk.call("v3", "history", v3.deepCopy().put("id", id)).toString());
        }
        try (Connection c = sqlite(history)) {
            assertEquals(2, count(c, "SELECT count(*) FROM memory_history WHERE action = 'DELETE' AND created_at IS NULL"),
                    "the real SDK writes DELETE rows without timestamps");
        }
        applied(dir, "005_ts_memory_history_sqlite.mig", Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + history));
        Path python = dir.resolve("history.db");
        applied(dir, "013_ts_history_to_python_history.mig", Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + history,
                "MEM0_HISTORY_URL", "jdbc:sqlite:" + python));
        for (String id : ids) {
            assertEquals(before.get(id), sdk.call("v3", "history", v3.deepCopy().put("id", id)).toString(),
                    "the TS SDK reads its history as before");
        }

        try (Connection py = sqlite(python)) {
            assertFalse(CurrentMem0.wouldRebuild(py), "current Python mem0 keeps the table");
            int events = 0;
            for (String id : ids) {
                Set<String> ts = new HashSet<>();
                for (JsonNode e : RealSdk.JSON.readTree(before.get(id))) {
                    ts.add(e.get("action").asText() + "|" + text(e.get("previous_value")) + "|" + text(e.get("new_value")) + "|"
                            + instant(e.get("created_at")) + "|" + instant(e.get("updated_at")));
                }
                Set<String> copied = new HashSet<>();
                for (Map<String, Object> r : CurrentMem0.getHistory(py, id)) {
                    copied.add(r.get("event") + "|" + r.get("old_memory") + "|" + r.get("new_memory") + "|"
                            + PackRun.instant(r.get("created_at")) + "|" + PackRun.instant(r.get("updated_at")));
                    events++;
                }
                assertEquals(ts, copied, "Python's get_history returns every TS event of " + id + " with its instants");
            }
            assertEquals(count(py, "SELECT count(*) FROM history"), events);
        }

        // 014: the table of the SDK's Supabase history store on a real PostgreSQL; the SDK's own getHistory query
        // (select * where memory_id = ? order by created_at desc limit 100) returns what v3 returned from SQLite
        RealSdk.PgServer server = RealSdk.PgServer.fromEnvironment();
        String pg = server.newDatabase("mig_real_supabase");
        applied(dir, "014_ts_history_to_supabase.mig", Map.of("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + history, "MEM0_PG_URL", pg));
        try (Connection c = DriverManager.getConnection(pg);
             PreparedStatement q = c.prepareStatement(
                     "SELECT * FROM memory_history WHERE memory_id = ? ORDER BY created_at DESC LIMIT 100")) {
            for (String id : ids) {
                List<String> sdkView = new ArrayList<>();
                for (JsonNode e : RealSdk.JSON.readTree(before.get(id))) {
                    sdkView.add(e.get("action").asText() + "|" + text(e.get("previous_value")) + "|" + text(e.get("new_value"))
                            + "|" + instant(e.get("created_at")) + "|" + instant(e.get("updated_at")));
                }
                List<String> supabaseView = new ArrayList<>();
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        supabaseView.add(rs.getString("action") + "|" + rs.getString("previous_value") + "|" + rs.getString("new_value")
                                + "|" + PackRun.instant(rs.getObject("created_at", OffsetDateTime.class)) + "|"
                                + PackRun.instant(rs.getObject("updated_at", OffsetDateTime.class)));
                    }
                }
                assertEquals(new HashSet<>(sdkView), new HashSet<>(supabaseView), "every event of " + id + " in the Supabase store");
                if (!sdkView.isEmpty() && sdkView.get(0).startsWith("DELETE")) {
                    assertTrue(supabaseView.get(0).startsWith("DELETE"), "newest first, as the SQLite store returned it: " + supabaseView);
                }
            }
        }

        sdk.call("v3", "write", RealSdk.write(v3.deepCopy(), "alice", List.of("Alice learns piano"), Map.of(), List.of()));
        try (Connection c = sqlite(history)) {
            assertEquals(1, count(c, "SELECT count(*) FROM memory_history WHERE new_value = 'Alice learns piano'"),
                    "the TS SDK keeps writing to memory_history");
        }
    }

    /**
     * MEM0.md 6: the SDK's local store (v2, then v3 after an upgrade) moved by 015 into a real pgvector
     * table; the SDK configured with pgvector lists the same memories with v3 keys and its own vector
     * search returns the same nearest neighbours, in the same order, for 50 queries.
     */
    @Test
    void theLocalStoreMovesToPgvectorWithTheSameNeighbours() throws Exception {
        RealSdk sdk = new RealSdk(dir);
        Path local = dir.resolve("vector_store.db");
        ObjectNode v2 = sdk.args().put("vectorDb", local.toString());
        ObjectNode v3 = sdk.args().put("vectorDb", local.toString());
        List<String> alice = new ArrayList<>();
        List<String> bob = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            alice.add("Alice fact " + i + ": " + "likes " + (char) ('a' + i % 26) + " things and number " + i * 7);
            bob.add("Bob note " + i + " about " + (char) ('z' - i % 26) + (i * 13));
        }
        sdk.call("v2", "write", RealSdk.write(v2.deepCopy(), "alice", alice.subList(0, 10), Map.of(0, "Alice updated fact"), List.of(3)));
        sdk.call("v2", "write", RealSdk.write(v2.deepCopy(), "bob", bob.subList(0, 10), Map.of(), List.of()));
        sdk.call("v3", "write", RealSdk.write(v3.deepCopy(), "alice", alice.subList(10, 20), Map.of(), List.of()));
        sdk.call("v3", "write", RealSdk.write(v3.deepCopy(), "bob", bob.subList(10, 20), Map.of(), List.of(1)));
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            queries.add((i % 2 == 0 ? "Alice likes " : "Bob note about ") + (char) ('a' + i % 26) + " " + i * 11);
        }
        Map<String, JsonNode> listed = new TreeMap<>();
        Map<String, JsonNode> neighbours = new TreeMap<>();
        for (String user : List.of("alice", "bob")) {
            listed.put(user, sdk.call("v3", "getAll", v3.deepCopy().put("user", user)));
            ObjectNode q = v3.deepCopy().put("user", user).put("topK", 5);
            queries.forEach(q.putArray("queries")::add);
            neighbours.put(user, sdk.call("v3", "neighbours", q));
        }
        assertEquals(19, listed.get("alice").size() + 0, listed.get("alice").toString());

        RealSdk.PgServer server = RealSdk.PgServer.fromEnvironment();
        String pg = server.newDatabase("mig_real_local");
        applied(dir, "015_ts_vector_store_to_pgvector.mig", Map.of("MEM0_TS_VECTORS_URL", "jdbc:sqlite:" + local, "MEM0_PG_URL", pg,
                "MEM0_DIMS", "8"));
        try (Connection c = DriverManager.getConnection(pg)) {
            assertEquals(0, count(c, "SELECT count(*) FROM memories WHERE payload ?| array['userId', 'agentId', 'runId']"));
            assertEquals(1, count(c, "SELECT count(*) FROM pg_indexes WHERE indexname = 'memories_hnsw_idx'"));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM memories m WHERE vector_dims(m.vector) = 8")) {
                rs.next();
                assertEquals(38, rs.getLong(1), "every memory with its 8 dims");
            }
        }
        ObjectNode onPg = sdk.args().set("pg", server.clientConfig("mig_real_local"));
        for (String user : List.of("alice", "bob")) {
            JsonNode now = sdk.call("v3", "getAll", onPg.deepCopy().put("user", user));
            assertEquals(byId(listed.get(user)).keySet(), byId(now).keySet(), user + ": the same memories");
            for (Map.Entry<String, JsonNode> e : byId(listed.get(user)).entrySet()) {
                JsonNode after = byId(now).get(e.getKey());
                assertEquals(e.getValue().get("memory"), after.get("memory"));
                assertEquals(e.getValue().get("hash"), after.get("hash"));
                assertEquals(user, after.get("user_id").asText());
            }
            ObjectNode q = onPg.deepCopy().put("user", user).put("topK", 5);
            queries.forEach(q.putArray("queries")::add);
            JsonNode after = sdk.call("v3", "neighbours", q);
            JsonNode before = neighbours.get(user);
            for (int i = 0; i < queries.size(); i++) {
                List<String> was = new ArrayList<>();
                List<String> is = new ArrayList<>();
                before.get(i).forEach(n -> was.add(n.get("id").asText()));
                after.get(i).forEach(n -> is.add(n.get("id").asText()));
                for (int k = 0; k < was.size(); k++) {
                    assertEquals(before.get(i).get(k).get("score").asDouble(), after.get(i).get(k).get("score").asDouble(), 1e-5,
                            "query " + i + " neighbour " + k);
                    if (!was.get(k).equals(is.get(k))) { // only a tie may come in another order
                        assertEquals(before.get(i).get(k).get("score").asDouble(), before.get(i).get(k + 1 < was.size() ? k + 1
                                : k - 1).get("score").asDouble(), 1e-6, "query " + i + ": " + was + " vs " + is);
                    }
                }
                assertEquals(new HashSet<>(was), new HashSet<>(is), "query " + i);
            }
        }
    }

    /** Python collection of every era in a real vector(n) table with HNSW: 006 and 012 leave vectors, index and neighbours alone. */
    /**
     * 021 with the real SDKs on real pgvector: v2 and v3 clients wrote memories (and history) of three users; after
     * alice is forgotten the SDK lists nothing and no history for her, and exactly what it listed for the others.
     */
    @Test
    void theTypeScriptSdkForgetsAUserAfter021() throws Exception {
        RealSdk sdk = new RealSdk(dir);
        RealSdk.PgServer server = RealSdk.PgServer.fromEnvironment();
        String url = server.newDatabase("mig_real_forget");
        Path history = dir.resolve("memory.db");
        ObjectNode args = sdk.args().put("historyDb", history.toString()).set("pg", server.clientConfig("mig_real_forget"));
        List<String> aliceIds = new ArrayList<>();
        sdk.call("v2", "write", RealSdk.write(args.deepCopy(), "alice", List.of("Alice likes pizza", "Alice has a cat"),
                Map.of(0, "Alice likes pasta"), List.of())).get("ids").forEach(i -> aliceIds.add(i.asText()));
        List<String> bobIds = new ArrayList<>();
        sdk.call("v2", "write", RealSdk.write(args.deepCopy(), "bob", List.of("Bob drinks tea", "Bob owns a bike"), Map.of(), List.of(1)))
                .get("ids").forEach(i -> bobIds.add(i.asText()));
        sdk.call("v3", "write", RealSdk.write(args.deepCopy(), "alice", List.of("Alice moved to Paris"), Map.of(), List.of()))
                .get("ids").forEach(i -> aliceIds.add(i.asText()));
        sdk.call("v3", "write", RealSdk.write(args.deepCopy(), "carol", List.of("Carol sings"), Map.of(), List.of()));
        assertEquals(1, sdk.call("v3", "getAll", args.deepCopy().put("user", "alice")).size(), "v3 sees its own write for alice");
        assertEquals(2, sdk.call("v2", "getAll", args.deepCopy().put("user", "alice")).size(), "v2 sees its two for alice");
        Map<String, String> before = new TreeMap<>();
        for (String sdkName : List.of("v2", "v3")) {
            for (String user : List.of("bob", "carol")) {
                before.put(sdkName + ":" + user, byId(sdk.call(sdkName, "getAll", args.deepCopy().put("user", user))).toString());
            }
        }
        String bobHistory = sdk.call("v3", "history", args.deepCopy().put("id", bobIds.get(1))).toString();
        PackRun.inline(dir, "connect t 'jdbc:sqlite:" + history + "'\nbackup t.memory_history to '" + dir.resolve("b/h.jsonl.gz") + "'\n");
        PackRun.inline(dir, "connect p '" + url + "'\nbackup p.memories to '" + dir.resolve("b/m.jsonl.gz") + "'\n");

        String out = applied(dir, "021_ts_forget_user.mig", Map.of("MEM0_USER_ID", "alice", "MEM0_PG_URL", url,
                "MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + history));
        assertEquals(0, sdk.call("v3", "getAll", args.deepCopy().put("user", "alice")).size(), out);
        assertEquals(0, sdk.call("v2", "getAll", args.deepCopy().put("user", "alice")).size(), out);
        for (String id : aliceIds) {
            assertEquals(0, sdk.call("v3", "history", args.deepCopy().put("id", id)).size(), "no history left for " + id);
        }
        for (String sdkName : List.of("v2", "v3")) {
            for (String user : List.of("bob", "carol")) {
                assertEquals(before.get(sdkName + ":" + user), byId(sdk.call(sdkName, "getAll", args.deepCopy().put("user", user)))
                        .toString(), sdkName + " lists " + user + " as before");
            }
        }
        assertEquals(bobHistory, sdk.call("v3", "history", args.deepCopy().put("id", bobIds.get(1))).toString());
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(0, count(c, "SELECT count(*) FROM memories WHERE payload->>'user_id' = 'alice' OR payload->>'userId' = 'alice'"));
        }
        for (JsonNode line : RetentionPackTest.lines(dir.resolve("b/m.jsonl.gz"))) {
            assertFalse(line.toString().contains("Alice"), "the backup no longer holds alice: " + line);
        }
        for (JsonNode line : RetentionPackTest.lines(dir.resolve("b/h.jsonl.gz"))) {
            assertFalse(aliceIds.contains(line.get("memory_id").asText()), "the history backup no longer holds alice: " + line);
        }
    }

    @Test
    void pythonCollectionOnRealPgvector() throws Exception {
        RealSdk.PgServer server = RealSdk.PgServer.fromEnvironment();
        String url = server.newDatabase("mig_real_py");
        Life life;
        try (Connection h = sqlite(dir.resolve("h.db"))) {
            life = Stores.g2(h, 800, 21);
        }
        String query = "'[0.1,-0.2,0.3,0.05]'";
        String neighbours = "SELECT id::text, (vector <=> " + query + ")::text AS d FROM mem0 ORDER BY vector <=> " + query + " LIMIT 10";
        String nearestBefore;
        String vectorsBefore;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            life.store().writeCollection(c, "mem0", true, "vector(4)", 1);
            s.execute("CREATE INDEX IF NOT EXISTS mem0_hnsw_idx ON mem0 USING hnsw (vector vector_cosine_ops)");
            Internal.telemetry(c, "mem0migrations", true, "vector(4)", 4, 2);
            s.execute("SET enable_seqscan = off");
            nearestBefore = rows(c, neighbours).toString();
            vectorsBefore = rows(c, "SELECT id::text, vector::text FROM mem0 ORDER BY 1").toString();
        }
        applied(dir, "006_collection_payloads.mig", Map.of("MEM0_COLLECTION_URL", url));
        applied(dir, "012_collection_text_lemmatized.mig", Map.of("MEM0_COLLECTION_URL", url));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertEquals("vector(4)", rows(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = 'mem0'::regclass AND attname = 'vector'").keySet().iterator().next());
            assertEquals(vectorsBefore, rows(c, "SELECT id::text, vector::text FROM mem0 ORDER BY 1").toString());
            s.execute("SET enable_seqscan = off");
            String plan = rows(c, "EXPLAIN " + neighbours).keySet().toString();
            assertTrue(plan.contains("mem0_hnsw_idx"), plan);
            assertEquals(nearestBefore, rows(c, neighbours).toString(), "nearest neighbours through the HNSW index unchanged");
            assertNotNull(rows(c, "SELECT indexdef FROM pg_indexes WHERE indexname = 'mem0_text_lemmatized_idx'").keySet()
                    .stream().findFirst().orElse(null), "GIN index created");
            assertEquals(0, count(c, "SELECT count(*) FROM mem0 WHERE jsonb_typeof(payload->'created_at') = 'number'"));
            assertEquals(0, count(c, "SELECT count(*) FROM mem0 WHERE payload ? 'data' AND NOT payload ? 'text_lemmatized'"));
        }
    }

    private static Map<String, JsonNode> byId(JsonNode list) {
        Map<String, JsonNode> out = new TreeMap<>();
        list.forEach(n -> out.put(n.get("id").asText(), n));
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Instant instant(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }
}
