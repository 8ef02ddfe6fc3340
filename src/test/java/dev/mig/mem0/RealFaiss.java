package dev.mig.mem0;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * mem0's own faiss.py (v0.1.98's: the docstore pickled; 8d5b786's: the docstore as JSON, deletes rebuild
 * the index) on Debian's python3-faiss, driven through src/test/resources/live/mem0_local_stores.py: stores
 * written and read as a Python mem0 application writes and reads them. Both files, with the base class
 * they import, are in src/test/resources/live/mem0_faiss (Apache-2.0, NOTICE there).
 */
final class RealFaiss {
    static final Path CODE = Path.of("src/test/resources/live/mem0_faiss").toAbsolutePath();
    final Path dir;
    final String era;
    final String distance;

    RealFaiss(Path dir, String era, String distance) {
        this.dir = dir;
        this.era = era;
        this.distance = distance;
    }

    /** Skips the test, saying why, where Debian's python3 has no faiss and numpy (.ci/run installs them). */
    static void assumeAvailable() throws Exception {
        boolean ok = Files.isExecutable(Path.of(Vendor.PYTHON));
        if (ok) {
            Process p = new ProcessBuilder(Vendor.PYTHON, "-c", "import faiss, numpy, pydantic").redirectErrorStream(true).start();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        assumeTrue(ok, "Debian's /usr/bin/python3 with python3-faiss, python3-numpy and python3-pydantic");
    }

    private ObjectNode args(Path store, String collection, int dims) {
        return RealQdrant.JSON.createObjectNode().put("mem0", CODE.toString())
                .put("mem0_faiss", CODE.resolve(era).resolve("faiss.py").toString()).put("path", store.toString())
                .put("collection", collection).put("dims", dims).put("distance", distance);
    }

    private Path file(String name, JsonNode content) throws Exception {
        Path f = Files.createTempFile(dir, name, ".jsonl");
        StringBuilder lines = new StringBuilder();
        content.forEach(n -> lines.append(n.toString()).append('\n'));
        Files.writeString(f, lines);
        return f;
    }

    /** mem0's insert of every point (batches of 100), then its delete() of some, then its update() of others. */
    void write(Path store, String collection, int dims, ArrayNode points, List<String> deletes, ArrayNode updates) throws Exception {
        ObjectNode a = args(store, collection, dims).put("points", file("points", points).toString())
                .put("updates", file("updates", updates).toString());
        deletes.forEach(a.putArray("deletes")::add);
        Vendor.python("mem0_local_stores.py", "faiss-write", a.toString());
    }

    /** {vectors: id -> the float32 values mem0's index holds at the row index_to_id gives, ntotal, docstore}. */
    JsonNode rows(Path store, String collection, int dims) throws Exception {
        return call("faiss-rows", args(store, collection, dims));
    }

    /** Each user's memories as mem0's faiss.py lists them: user -> [{id, payload}] by id. */
    JsonNode list(Path store, String collection, int dims, List<String> users) throws Exception {
        ObjectNode a = args(store, collection, dims);
        users.forEach(a.putArray("users")::add);
        return call("faiss-list", a);
    }

    /** mem0's FAISS search: the ids, best first, per query. */
    JsonNode search(Path store, String collection, int dims, ArrayNode queries, int k) throws Exception {
        ObjectNode a = args(store, collection, dims).put("queries", file("queries", queries).toString()).put("k", k);
        return call("faiss-search", a);
    }

    private JsonNode call(String command, ObjectNode a) throws Exception {
        Path out = Files.createTempFile(dir, command, ".json");
        a.put("out", out.toString());
        Vendor.python("mem0_local_stores.py", command, a.toString());
        return RealQdrant.JSON.readTree(out.toFile());
    }
}
