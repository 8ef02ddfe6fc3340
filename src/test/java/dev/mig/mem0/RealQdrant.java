package dev.mig.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;

/**
 * mem0's own qdrant.py (v0.1.98's and 8d5b786's) on the real qdrant-client, and mem0's own pgvector.py, driven
 * through src/test/resources/live/mem0_local_stores.py by Debian's python3: stores written and read the way
 * a Python mem0 application writes and reads them.
 */
final class RealQdrant {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path dir;
    final String era;

    RealQdrant(Path dir, String era) {
        this.dir = dir;
        this.era = era;
    }

    /** Points for mem0's insert: UUID ids, random vectors, mem0's payload keys for three users. */
    static ArrayNode points(int n, int dims, long seed) {
        Random random = new Random(seed);
        ArrayNode out = JSON.createArrayNode();
        String[] users = {"alice", "bob", "carol"};
        for (int i = 0; i < n; i++) {
            ObjectNode p = out.addObject();
            p.put("id", new UUID(random.nextLong(), random.nextLong()).toString());
            ArrayNode v = p.putArray("vector");
            for (int d = 0; d < dims; d++) {
                v.add(random.nextDouble() * 2 - 1);
            }
            ObjectNode payload = p.putObject("payload");
            payload.put("data", "memory " + i + " of " + users[i % 3]).put("hash", Integer.toHexString(i * 7919))
                    .put("user_id", users[i % 3]).put("created_at", "2025-0" + (1 + i % 9) + "-01T10:00:00.123456-08:00");
            if (i % 4 == 0) {
                payload.put("agent_id", "agent-" + (i % 2)).put("updated_at", "2025-10-01T10:00:00+00:00");
            }
            if (i % 5 == 0) {
                payload.put("run_id", "run-" + i).put("text_lemmatized", "memory " + i);
                payload.putObject("metadata").put("topic", "t" + (i % 3)).put("weight", i * 0.25).putArray("tags").add("x").add(i);
            }
        }
        return out;
    }

    /** Updates of points [from, from + n): new vectors (a vector of another point would tie), the text changed. */
    static ArrayNode updates(ArrayNode points, int from, int n, int dims, long seed) {
        ArrayNode updates = JSON.createArrayNode();
        ArrayNode fresh = points(n, dims, seed);
        for (int i = from; i < from + n; i++) {
            ObjectNode u = updates.addObject().put("id", points.get(i).get("id").asText());
            u.set("vector", fresh.get(i - from).get("vector"));
            u.set("payload", points.get(i).get("payload").deepCopy());
            ((ObjectNode) u.get("payload")).put("data", "updated memory " + i);
        }
        return updates;
    }

    /** The ids of points [from, to). */
    static List<String> ids(ArrayNode points, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(points.get(i).get("id").asText());
        }
        return out;
    }

    /** Each user's memories as mem0's pgvector.py lists them equal those the local store listed, less the left-out ids. */
    static void assertSameListing(JsonNode expected, JsonNode read, List<String> users, Set<String> leftOut) {
        for (String user : users) {
            List<JsonNode> want = new ArrayList<>();
            expected.get(user).forEach(m -> {
                if (!leftOut.contains(m.get("id").asText())) {
                    want.add(m);
                }
            });
            List<JsonNode> got = new ArrayList<>();
            read.get(user).forEach(got::add);
            Assertions.assertEquals(want, got, "the memories of " + user + " as mem0's pgvector.py lists them");
        }
    }

    /** Every vector of the pgvector table bit-equal to the float32 of the local store's value for its id; how many. */
    static int assertSameVectors(String url, String table, JsonNode vectors, int dims) throws Exception {
        int checked = 0;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id::text, vector::text FROM " + table)) {
            while (rs.next()) {
                JsonNode want = vectors.get(rs.getString(1));
                String[] got = rs.getString(2).replaceAll("[\\[\\]]", "").split(",");
                Assertions.assertEquals(dims, got.length);
                for (int d = 0; d < dims; d++) {
                    Assertions.assertEquals(Float.floatToRawIntBits((float) want.get(d).doubleValue()),
                            Float.floatToRawIntBits(Float.parseFloat(got[d])), "dimension " + d + " of " + rs.getString(1));
                }
                checked++;
            }
        }
        return checked;
    }

    private ObjectNode args(Path store, String collection, int dims) throws Exception {
        ObjectNode a = JSON.createObjectNode();
        a.put("era", era).put("mem0", Vendor.mem0().toString()).put("mem0_old_qdrant", Vendor.mem0OldQdrant().toString())
                .put("qdrant_client", Vendor.qdrantClient().toString()).put("path", store.toString())
                .put("collection", collection).put("dims", dims);
        return a;
    }

    private Path file(String name, JsonNode content) throws Exception {
        Path f = Files.createTempFile(dir, name, ".jsonl");
        StringBuilder lines = new StringBuilder();
        if (content.isArray()) {
            content.forEach(n -> lines.append(n.toString()).append('\n'));
        }
        Files.writeString(f, lines);
        return f;
    }

    /** mem0's insert of every point (in batches of 100), then its update() and delete() of some. */
    void write(Path store, String collection, int dims, ArrayNode points, ArrayNode updates, List<String> deletes, boolean bm25)
            throws Exception {
        ObjectNode a = args(store, collection, dims);
        a.put("points", file("points", points).toString()).put("updates", file("updates", updates).toString()).put("bm25", bm25);
        deletes.forEach(a.putArray("deletes")::add);
        Vendor.python("mem0_local_stores.py", "qdrant-write", a.toString());
    }

    /** Each user's memories as mem0's qdrant.py lists them: user -> [{id, payload}] by id. */
    JsonNode list(Path store, String collection, int dims, List<String> users) throws Exception {
        ObjectNode a = args(store, collection, dims);
        users.forEach(a.putArray("users")::add);
        return call("qdrant-list", a);
    }

    /** mem0's search(query vector, k) on the local store: the ids, best first, per query. */
    JsonNode search(Path store, String collection, int dims, ArrayNode queries, int k) throws Exception {
        ObjectNode a = args(store, collection, dims);
        a.put("queries", file("queries", queries).toString()).put("k", k);
        return call("qdrant-search", a);
    }

    /** Every stored point's vector as numpy float32 values: id -> [..]. */
    JsonNode vectors(Path store, String collection) throws Exception {
        ObjectNode a = args(store, collection, 0);
        return call("qdrant-vectors", a);
    }

    /** A running application: the store open (its lock held) until the process is destroyed. */
    Process hold(Path store) throws Exception {
        ObjectNode a = args(store, "mem0", 0);
        Process p = new ProcessBuilder(Vendor.PYTHON, Path.of("src/test/resources/live/mem0_local_stores.py").toAbsolutePath().toString(),
                "qdrant-hold", a.toString()).redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readNBytes(5));
        if (!first.equals("open\n")) {
            p.destroyForcibly();
            throw new AssertionError("the holder did not open the store: " + first + new String(p.getInputStream().readAllBytes()));
        }
        return p;
    }

    /** Each user's memories as mem0's pgvector.py lists them. */
    static JsonNode pgList(String dsn, String collection, int dims, List<String> users, Path dir) throws Exception {
        ObjectNode a = JSON.createObjectNode().put("mem0", Vendor.mem0().toString()).put("dsn", dsn).put("collection", collection)
                .put("dims", dims);
        users.forEach(a.putArray("users")::add);
        return new RealQdrant(dir, "pg").call("pg-list", a);
    }

    /** mem0's pgvector search, exact (index scans off in the session: the same neighbours a full scan finds). */
    static JsonNode pgSearch(String dsn, String collection, int dims, ArrayNode queries, int k, Path dir) throws Exception {
        RealQdrant r = new RealQdrant(dir, "pg");
        ObjectNode a = JSON.createObjectNode().put("mem0", Vendor.mem0().toString())
                .put("dsn", dsn + (dsn.contains("?") ? "&" : "?") + "options=-c%20enable_indexscan%3Doff%20-c%20enable_bitmapscan%3Doff")
                .put("collection", collection).put("dims", dims).put("queries", r.file("queries", queries).toString()).put("k", k);
        return r.call("pg-search", a);
    }

    private JsonNode call(String command, ObjectNode a) throws Exception {
        Path out = Files.createTempFile(dir, command, ".json");
        a.put("out", out.toString());
        Vendor.python("mem0_local_stores.py", command, a.toString());
        return JSON.readTree(out.toFile());
    }

    static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
