package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mem0's FAISS store as a faiss: connection, against stores written by mem0's own faiss.py of both eras on
 * Debian's python3-faiss: every memory with the vector mem0's index gives it, bit for bit, and its payload;
 * the memories mem0 before 1.0.9 lost the row of (an update after a delete) without a vector; inspect's
 * counts; a docstore pickle that would run a command and a cut index refused with the reason; 023's
 * preflight (wrong MEM0_DIMS, a missing collection) before the first write. The store keeps every byte.
 */
class FaissStoreTest {
    private static final int DIMS = 16;
    private static final List<String> USERS = List.of("alice", "bob", "carol");

    @TempDir
    Path dir;

    /** 120 memories inserted, 5 deleted, then 3 others updated, by mem0's own code of the era. */
    private JsonNode written(Path store, String era) throws Exception {
        RealFaiss.assumeAvailable();
        RealFaiss mem0 = new RealFaiss(dir, era, "euclidean");
        ArrayNode points = RealQdrant.points(120, DIMS, era.hashCode());
        List<String> deletes = RealQdrant.ids(points, 20, 25);
        ArrayNode updates = RealQdrant.updates(points, 40, 3, DIMS, era.hashCode() + 1);
        mem0.write(store, "mem0", DIMS, points, deletes, updates);
        return mem0.rows(store, "mem0", DIMS);
    }

    static Map<String, String> digests(Path store) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.walk(store)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(store.relativize(f).toString(), DigestUtils.sha256Hex(Files.readAllBytes(f)));
            }
        }
        assertTrue(out.containsKey("mem0.faiss"), out.toString());
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"v0.1.98", "8d5b786"})
    void everyMemoryReadsWithTheVectorMem0sIndexGivesIt(String era) throws Exception {
        Path store = dir.resolve("faiss");
        JsonNode mem0 = written(store, era);
        assertTrue(Files.isRegularFile(store.resolve(era.equals("v0.1.98") ? "mem0.pkl" : "mem0.json")));
        Map<String, String> before = digests(store);
        JsonNode listed = new RealFaiss(dir, era, "euclidean").list(store, "mem0", DIMS, USERS);
        Map<String, JsonNode> payloads = new HashMap<>();
        for (String user : USERS) {
            listed.get(user).forEach(m -> payloads.put(m.get("id").asText(), m.get("payload")));
        }

        int rows = 0;
        int withoutVector = 0;
        Database db = Database.open("f", "faiss:" + store + "?collection=mem0", false, false);
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT id, vector, payload FROM points")) {
            assertTrue(db.readonly(), "a FAISS store is only ever read");
            while (rs.next()) {
                rows++;
                String id = rs.getString(1);
                byte[] vector = rs.getBytes(2);
                assertEquals(payloads.get(id), RealQdrant.JSON.readTree(rs.getString(3)), "the payload of " + id);
                JsonNode want = mem0.get("vectors").get(id);
                if (want == null) {
                    assertNull(vector, id + " has no index row in mem0's own reading either");
                    withoutVector++;
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(vector).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(DIMS * 4, vector.length);
                for (int d = 0; d < DIMS; d++) {
                    assertEquals(Float.floatToRawIntBits((float) want.get(d).doubleValue()), Float.floatToRawIntBits(b.getFloat()),
                            "dimension " + d + " of " + id);
                }
            }
        } finally {
            db.close();
        }
        assertEquals(mem0.get("docstore").asInt(), rows, "every memory of the docstore");
        assertEquals(rows - mem0.get("vectors").size(), withoutVector);
        if (era.equals("v0.1.98")) {
            assertEquals(115, rows, "120 inserted, 5 deleted (3 updated: deleted and inserted again, the same ids)");
            assertEquals(123, mem0.get("ntotal").asInt(), "deletes leave their rows in the index before 1.0.9");
            assertTrue(withoutVector > 0, "an update after a delete loses its row before 1.0.9: " + withoutVector);
        } else {
            assertEquals(115, rows);
            assertEquals(0, withoutVector);
            assertEquals(115, mem0.get("ntotal").asInt(), "a delete rebuilds the index from 1.0.9");
        }
        assertEquals(before, digests(store), "not one byte of the store changed");

        List<String> out = new ArrayList<>();
        new Inspector(out::add).inspect(List.of(store.toString()));
        String text = String.join("\n", out);
        assertTrue(text.contains("collection mem0: 16 dims, L2 (mem0's euclidean), " + mem0.get("ntotal").asInt() + " index rows"), text);
        assertTrue(text.contains("memories: " + rows + " (" + (rows - withoutVector) + " with an index row)"), text);
        assertTrue(text.contains("MEM0_FAISS_PATH='" + store + "' MEM0_FAISS_COLLECTION=mem0 MEM0_DIMS=16"), text);
        assertEquals(era.equals("v0.1.98"), text.contains("index rows no memory points to"), text);
        assertEquals(before, digests(store));
    }

    @Test
    void aDocstorePickleThatWouldRunACommandAndACutIndexAreRefused() throws Exception {
        Path store = dir.resolve("faiss");
        written(store, "v0.1.98");
        Path marker = dir.resolve("the-pickle-ran");
        Vendor.python("mem0_local_stores.py", "faiss-evil-docstore", RealQdrant.JSON.createObjectNode().put("path", store.toString())
                .put("collection", "mem0").put("marker", marker.toString()).toString());
        MigException evil = assertThrows(MigException.class, () -> Database.open("f", "faiss:" + store, true, false));
        assertTrue(evil.getMessage().contains("mem0.pkl is refused: the pickle loads posix.system"), evil.getMessage());
        assertFalse(Files.exists(marker), "nothing of the pickle ran");

        Path cut = dir.resolve("cut");
        Files.createDirectories(cut);
        byte[] index = Files.readAllBytes(store.resolve("mem0.faiss"));
        Files.write(cut.resolve("mem0.faiss"), Arrays.copyOf(index, index.length - 10));
        Files.writeString(cut.resolve("mem0.json"), "{\"docstore\": {}, \"index_to_id\": {}}");
        MigException short_ = assertThrows(MigException.class, () -> Database.open("f", "faiss:" + cut, true, false));
        assertTrue(short_.getMessage().contains("mem0.faiss is " + (index.length - 10) + " bytes where 123 x 16 float32 values make "
                + index.length + " (the file is cut"), short_.getMessage());
    }

    @Test
    void wrongDimsAndAMissingCollectionAreFoundBeforeTheFirstWrite() throws Exception {
        Path store = dir.resolve("faiss");
        written(store, "8d5b786");
        Map<String, String> before = digests(store);
        String pg = Pg.newDatabase();
        PackRun.Result dims = PackRun.run(dir, "023_faiss_local_to_pgvector.mig", Map.of("MEM0_FAISS_PATH", store.toString(),
                "MEM0_PG_URL", pg, "MEM0_DIMS", "1536"));
        assertEquals(ScriptRunner.Outcome.FAILED, dims.outcome(), dims.output());
        assertTrue(dims.output().contains("the map asks for vectors of 1536 dims, but collection 'mem0' of the FAISS store at " + store
                + " holds vectors of 16 dims (mem0.faiss): set MEM0_DIMS=16"), dims.output());
        assertTrue(dims.output().contains("not started, nothing was written"), dims.output());

        PackRun.Result missing = PackRun.run(dir, "023_faiss_local_to_pgvector.mig", Map.of("MEM0_FAISS_PATH", store.toString(),
                "MEM0_FAISS_COLLECTION", "memories", "MEM0_PG_URL", pg, "MEM0_DIMS", "16"));
        assertEquals(ScriptRunner.Outcome.FAILED, missing.outcome(), missing.output());
        assertTrue(missing.output().contains("the FAISS store at " + store + " has no collection 'memories' (no memories.faiss); it has: mem0"),
                missing.output());
        assertFalse(missing.output().contains("\tat "), "no stack trace: " + missing.output());
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing was written to the target");
        }
        assertEquals(before, digests(store), "not one byte of the store changed");
    }
}
