package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 023 against the real things: a FAISS store written by mem0's own faiss.py (v0.1.98, euclidean, docstore
 * pickled; 8d5b786, cosine, docstore as JSON) on Debian's python3-faiss, moved into a real pgvector and
 * read back by mem0's own pgvector.py: each user's memories as mem0's faiss.py lists them, every vector the
 * float32 values mem0's index holds, and (cosine) the same exact nearest neighbours as mem0's FAISS search.
 * The memories v0.1.98 lost the index row of are rejected by id, the checksum fails naming them, and the
 * store keeps every byte. Runs in .ci/real-clients.
 */
@Tag("real-clients")
class FaissPackTest {
    private static final int DIMS = 32;
    private static final List<String> USERS = List.of("alice", "bob", "carol");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"v0.1.98, euclidean", "8d5b786, cosine"})
    void aFaissStoreMovesToPgvectorAndMem0ReadsTheSameMemories(String era, String distance) throws Exception {
        RealFaiss.assumeAvailable();
        Path store = dir.resolve("faiss");
        RealFaiss mem0 = new RealFaiss(dir, era, distance);
        ArrayNode points = RealQdrant.points(300, DIMS, era.hashCode());
        List<String> deletes = RealQdrant.ids(points, 20, 30);
        ArrayNode updates = RealQdrant.updates(points, 50, 5, DIMS, era.hashCode() + 1);
        mem0.write(store, "mem0", DIMS, points, deletes, updates);
        JsonNode rows = mem0.rows(store, "mem0", DIMS);
        JsonNode vectors = rows.get("vectors");
        JsonNode expected = mem0.list(store, "mem0", DIMS, USERS);
        ArrayNode queries = RealQdrant.points(20, DIMS, 99);
        JsonNode localHits = mem0.search(store, "mem0", DIMS, queries, 10);
        Map<String, String> before = FaissStoreTest.digests(store);
        int lost = 290 - vectors.size();
        assertEquals(era.equals("v0.1.98"), lost > 0, "v0.1.98 loses rows on an update after a delete: " + lost);

        RealSdk.PgServer server = RealSdk.PgServer.fromEnvironment();
        String db = "mig_faiss_" + era.replace('.', '_');
        String url = server.newDatabase(db);
        PackRun.Result run = PackRun.run(dir, "023_faiss_local_to_pgvector.mig", new HashMap<>(Map.of("MEM0_FAISS_PATH",
                store.toString(), "MEM0_PG_URL", url, "MEM0_DIMS", String.valueOf(DIMS))));
        String output = run.output();
        assertTrue(output.contains("read 290, written " + (290 - lost) + (lost > 0 ? ", rejected " + lost : "")), output);
        Set<String> rejected = new HashSet<>();
        if (lost > 0) {
            assertEquals(ScriptRunner.Outcome.FAILED, run.outcome(), output);
            assertTrue(output.contains("error: checksum failed: " + (290 - lost) + " matched, 0 mismatched, 0 only in faiss.points, "
                    + "0 only in pg.mem0, " + lost + " source rows the map rejects"), output);
            for (String line : Files.readAllLines(dir.resolve("out/023_faiss_local.rejects.jsonl"))) {
                JsonNode r = RealQdrant.JSON.readTree(line);
                assertEquals("no index row points to it", r.get("reason").asText(), line);
                rejected.add(r.get("key").get("id").asText());
            }
            assertEquals(lost, rejected.size());
            for (String id : rejected) {
                assertTrue(!vectors.has(id), id + " is one mem0's own index has no row for");
            }
        } else {
            assertEquals(ScriptRunner.Outcome.APPLIED, run.outcome(), output);
            assertTrue(output.contains(290 + " matched, 0 mismatched"), output);
        }
        assertEquals(before, FaissStoreTest.digests(store), "the store keeps every byte");

        // mig report lists the move as it lists any other: the map with its counts, the checksum
        Map<String, String> env = new HashMap<>(Map.of("MEM0_FAISS_PATH", store.toString(), "MEM0_PG_URL", url,
                "MEM0_DIMS", String.valueOf(DIMS), "MIG_OUT", dir.resolve("out").toString()));
        String md = Render.markdown(new Reporter(new RunOptions(false, env, Path.of("."), line -> { }))
                .build(List.of(Path.of("scripts/mem0/023_faiss_local_to_pgvector.mig")), Instant.EPOCH));
        List<List<String>> maps = ReportPackTest.table(md, "line", "map", "read", "written", "rejected", "took");
        assertEquals(1, maps.size(), md);
        assertEquals(List.of("290", String.valueOf(290 - lost), String.valueOf(lost)), maps.get(0).subList(2, 5), md);
        assertTrue(md.contains("| faiss | `faiss:" + store + "?collection=mem0` |"), md);

        String dsn = "postgresql://" + server.user() + ":" + server.password() + "@" + server.host() + ":" + server.port() + "/" + db;
        JsonNode read = RealQdrant.pgList(dsn, "mem0", DIMS, USERS, dir);
        RealQdrant.assertSameListing(expected, read, USERS, rejected);
        assertEquals(290 - lost, RealQdrant.assertSameVectors(url, "mem0", vectors, DIMS));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            ResultSet indexes = s.executeQuery("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'mem0'");
            indexes.next();
            assertEquals("mem0_hnsw_idx,mem0_pkey,mem0_text_lemmatized_idx", indexes.getString(1));
        }
        if (distance.equals("cosine")) { // the same ranking: mem0's FAISS cosine is inner product of unit vectors, pgvector's <=>
            JsonNode pgHits = RealQdrant.pgSearch(dsn, "mem0", DIMS, queries, 10, dir);
            for (int q = 0; q < queries.size(); q++) {
                assertEquals(RealQdrant.ids(localHits.get(q)), RealQdrant.ids(pgHits.get(q)), "nearest neighbours of query " + q);
            }
        }
    }
}
