package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.report.Render;
import dev.mig.report.Reporter;
import dev.mig.resolve.RunOptions;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 022 against the real things: a local Qdrant store written by mem0's own qdrant.py of both eras (v0.1.98:
 * one unnamed vector; 8d5b786: named vectors with bm25) on the real qdrant-client, moved into a real pgvector,
 * and read back by mem0's own pgvector.py - each user's memories as mem0's qdrant.py listed them, every
 * vector the float32 values numpy gives, the same exact nearest neighbours as mem0's local search. Three
 * points it cannot move (an integer id, a pickle that would run a command, a cut pickle) are rejected with
 * their reasons while the rest moves, nothing is run, and the store keeps every byte. Runs in .ci/real-clients.
 */
@Tag("real-clients")
class QdrantPackTest {
    private static final int DIMS = 64;
    private static final List<String> USERS = List.of("alice", "bob", "carol");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"v0.1.98", "v3"})
    void aLocalQdrantMovesToPgvectorAndMem0ReadsTheSameMemories(String era) throws Exception {
        Path store = dir.resolve("qdrant");
        RealQdrant mem0 = new RealQdrant(dir, era);
        ArrayNode points = RealQdrant.points(300, DIMS, era.hashCode());
        ((ObjectNode) points.get(7)).put("id", 42); // mem0's insert takes integer ids too; pgvector's id is a uuid
        ArrayNode updates = RealQdrant.updates(points, 10, 5, DIMS, era.hashCode() + 1);
        List<String> deletes = RealQdrant.ids(points, 20, 30);
        mem0.write(store, "mem0", DIMS, points, updates, deletes, era.equals("v3"));

        JsonNode expected = mem0.list(store, "mem0", DIMS, USERS);
        JsonNode vectors = mem0.vectors(store, "mem0");
        ArrayNode queries = RealQdrant.points(20, DIMS, 99);
        JsonNode localHits = mem0.search(store, "mem0", DIMS, queries, 11);
        assertEquals(290, vectors.size(), "300 inserted, 10 deleted");

        Path marker = dir.resolve("the-pickle-ran");
        String evilId = UUID.randomUUID().toString();
        String cutId = UUID.randomUUID().toString();
        ObjectNode inject = RealQdrant.JSON.createObjectNode().put("qdrant_client", Vendor.qdrantClient().toString())
                .put("path", store.toString()).put("collection", "mem0").put("marker", marker.toString())
                .put("evil_id", evilId).put("cut_id", cutId);
        Vendor.python("mem0_local_stores.py", "qdrant-inject", inject.toString());
        Map<String, String> before = QdrantLocalTest.digests(store);

        RealSdk.PgServer server = RealSdk.PgServer.fromEnvironment();
        String db = "mig_qdrant_" + era.replace('.', '_');
        String url = server.newDatabase(db);
        Map<String, String> env = new HashMap<>(Map.of("MEM0_QDRANT_PATH", store.toString(), "MEM0_PG_URL", url,
                "MEM0_DIMS", String.valueOf(DIMS)));
        PackRun.Result run = PackRun.run(dir, "022_qdrant_local_to_pgvector.mig", env);
        String output = run.output();
        assertTrue(output.contains("read 292, written 289, rejected 3"), output);
        // the collection is whole (indexes built), and the checksum fails on the three rejects, naming each
        assertEquals(ScriptRunner.Outcome.FAILED, run.outcome(), output);
        assertTrue(output.contains("error: checksum failed: 289 matched, 0 mismatched, 0 only in qdrant.points, 0 only in pg.mem0, "
                + "3 source rows the map rejects"), output);
        assertTrue(output.contains("cannot convert 42 to uuid"), output);
        assertEquals(before, QdrantLocalTest.digests(store), "the store keeps every byte");
        assertFalse(Files.exists(marker), "the pickle that would run a command was not run");
        Map<String, String> reportEnv = new HashMap<>(env);
        reportEnv.put("MIG_OUT", dir.resolve("out").toString());
        String md = Render.markdown(new Reporter(new RunOptions(false, reportEnv, Path.of("."), line -> { }))
                .build(List.of(Path.of("scripts/mem0/022_qdrant_local_to_pgvector.mig")), Instant.EPOCH));
        List<List<String>> maps = ReportPackTest.table(md, "line", "map", "read", "written", "rejected", "took");
        assertEquals(List.of(List.of("292", "289", "3")), maps.stream().map(r -> r.subList(2, 5)).toList(), md);

        Map<String, String> reasons = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("out/022_qdrant_local.rejects.jsonl"))) {
            JsonNode r = RealQdrant.JSON.readTree(line);
            reasons.put(r.get("key").get("id").asText(), r.get("reason").asText());
        }
        assertEquals(3, reasons.size(), reasons.toString());
        String all = reasons.values().toString();
        assertTrue(all.contains("uuid"), all);
        assertTrue(all.contains("refused pickle: the pickle loads posix.system"), all);
        assertTrue(all.contains("refused pickle: a truncated pickle"), all);

        String dsn = "postgresql://" + server.user() + ":" + server.password() + "@" + server.host() + ":" + server.port() + "/" + db;
        JsonNode read = RealQdrant.pgList(dsn, "mem0", DIMS, USERS, dir);
        RealQdrant.assertSameListing(expected, read, USERS, Set.of("42"));
        assertEquals(289, RealQdrant.assertSameVectors(url, "mem0", vectors, DIMS));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            ResultSet indexes = s.executeQuery("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'mem0'");
            indexes.next();
            assertEquals("mem0_hnsw_idx,mem0_pkey,mem0_text_lemmatized_idx", indexes.getString(1));
        }

        JsonNode pgHits = RealQdrant.pgSearch(dsn, "mem0", DIMS, queries, 10, dir);
        for (int q = 0; q < queries.size(); q++) {
            List<String> local = new ArrayList<>(RealQdrant.ids(localHits.get(q)));
            local.remove("42");
            List<String> want = local.subList(0, 10);
            List<String> got = RealQdrant.ids(pgHits.get(q));
            if (!want.equals(got)) {
                StringBuilder scores = new StringBuilder();
                for (String id : new LinkedHashSet<>(List.of(want.get(9), got.get(9), local.get(10)))) {
                    scores.append(id).append('=').append(cosine(queries.get(q).get("vector"), vectors.get(id))).append(' ');
                }
                assertEquals(want, got, "nearest neighbours of query " + q + ": " + scores);
            }
        }
    }

    /** The cosine similarity of a query and a stored vector, in double. */
    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = (float) a.get(i).doubleValue();
            double y = b.get(i).doubleValue();
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return dot / Math.sqrt(na * nb);
    }
}
