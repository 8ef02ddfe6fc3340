package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local Qdrant store written by mem0's own qdrant.py (8d5b786) on the real qdrant-client: what mig inspect
 * says of it, and the three problems 022 finds before its first write - a running mem0 holding the store, a
 * MEM0_DIMS other than the collection's, a collection that is not there - each one clear line, nothing
 * written to the target, not one byte of the store changed. (The move itself, into real pgvector and read
 * back by mem0's pgvector.py: QdrantPackTest in .ci/real-clients.)
 */
class QdrantLocalTest {
    @TempDir
    Path dir;

    @Test
    void inspectTellsWhatTheStoreIsAndTheScriptToRun() throws Exception {
        Path store = dir.resolve("qdrant");
        RealQdrant mem0 = new RealQdrant(dir, "v3");
        ArrayNode points = RealQdrant.points(60, 16, 3);
        mem0.write(store, "mem0", 16, points, RealQdrant.JSON.createArrayNode(), List.of(points.get(0).get("id").asText()), true);
        List<String> out = new ArrayList<>();
        new Inspector(out::add).inspect(List.of(store.toString()));
        String all = String.join("\n", out);
        assertTrue(all.contains("store " + store + ": a local Qdrant"), all);
        assertTrue(all.contains("lock: free"), all);
        assertTrue(all.contains("collection mem0: 16 dims, Cosine, named vectors with a bm25 sparse slot (mem0 2.0+"), all);
        assertTrue(all.contains("points: 59 (0 with one unnamed vector, 59 with named vectors, 59 with a bm25 vector)"), all);
        assertTrue(all.contains("users: 3 (bob 20, carol 20, alice 19); agents: 1 (agent-0 14); runs: 11 ("), all);
        assertTrue(all.contains("MEM0_QDRANT_PATH='" + store + "' MEM0_QDRANT_COLLECTION=mem0 MEM0_DIMS=16"), all);
        assertTrue(all.contains("022_qdrant_local_to_pgvector.mig"), all);

        Process holder = mem0.hold(store);
        try {
            out.clear();
            new Inspector(out::add).inspect(List.of(store.toString()));
            assertTrue(String.join("\n", out).contains("lock: HELD: process " + holder.pid()), String.join("\n", out));
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void problemsFoundBeforeTheFirstWriteLeaveBothSidesAsTheyWere() throws Exception {
        Path store = dir.resolve("qdrant");
        RealQdrant mem0 = new RealQdrant(dir, "v0.1.98");
        mem0.write(store, "mem0", 16, RealQdrant.points(40, 16, 4), RealQdrant.JSON.createArrayNode(), List.of(), false);
        String pg = Pg.newDatabase();
        Map<String, String> before = digests(store);
        Map<String, String> env = Map.of("MEM0_QDRANT_PATH", store.toString(), "MEM0_PG_URL", pg, "MEM0_DIMS", "16");

        Process holder = mem0.hold(store);
        PackRun.Result held;
        try {
            held = PackRun.run(dir, "022_qdrant_local_to_pgvector.mig", env);
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertEquals(ScriptRunner.Outcome.FAILED, held.outcome(), held.output());
        assertTrue(held.output().contains("the local Qdrant store at " + store + " is in use: process " + holder.pid()), held.output());
        assertTrue(held.output().contains("stop the application (mem0)"), held.output());
        assertTrue(held.output().contains("not started, nothing was written"), held.output());

        PackRun.Result dims = PackRun.run(dir, "022_qdrant_local_to_pgvector.mig", Map.of("MEM0_QDRANT_PATH", store.toString(),
                "MEM0_PG_URL", pg, "MEM0_DIMS", "1536"));
        assertEquals(ScriptRunner.Outcome.FAILED, dims.outcome(), dims.output());
        assertTrue(dims.output().contains("the map asks for vectors of 1536 dims, but collection 'mem0' of the local Qdrant store at "
                + store + " holds vectors of 16 dims (meta.json): set MEM0_DIMS=16"), dims.output());
        assertTrue(dims.output().contains("not started, nothing was written"), dims.output());

        PackRun.Result missing = PackRun.run(dir, "022_qdrant_local_to_pgvector.mig", Map.of("MEM0_QDRANT_PATH", store.toString(),
                "MEM0_PG_URL", pg, "MEM0_DIMS", "16", "MEM0_QDRANT_COLLECTION", "memories"));
        assertEquals(ScriptRunner.Outcome.FAILED, missing.outcome(), missing.output());
        assertTrue(missing.output().contains("no collection 'memories' in the local Qdrant store at " + store
                + " (meta.json lists: mem0): set MEM0_QDRANT_COLLECTION"), missing.output());
        for (String output : List.of(held.output(), dims.output(), missing.output())) {
            assertFalse(output.contains("\tat ") || output.contains("Exception"), "no stack trace: " + output);
        }

        assertEquals(before, digests(store), "not one byte of the store changed");
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing was written to the target");
        }
    }

    /** sha256 of every file of the store, by path. */
    static Map<String, String> digests(Path store) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.walk(store)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(store.relativize(f).toString(), DigestUtils.sha256Hex(Files.readAllBytes(f)));
            }
        }
        assertTrue(out.containsKey("meta.json") && out.containsKey("collection/mem0/storage.sqlite"), out.toString());
        return out;
    }
}
