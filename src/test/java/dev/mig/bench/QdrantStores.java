package dev.mig.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Large local Qdrant stores for bench/qdrant, written the way qdrant-client's local persistence writes a point
 * (persistence.py: key = base64 of pickle.dumps(id), value = pickle.dumps(PointStruct), protocol 4, one frame)
 * with a PointStruct as pydantic 1 pickles it (state {__dict__, __fields_set__, __private_attribute_values__}).
 * Writing a million points through the real client is not possible in a bench's time (it commits once a point
 * and keeps every vector in memory), so this writes the same bytes' structure directly; the real client reads
 * back every point of a sample store made by this same code identically (bench/qdrant --verify, run first).
 */
final class QdrantStores {
    private QdrantStores() {
    }

    /** The point i of a store of {@code seed}: id, vector (doubles) and payload, deterministic. */
    record Point(String id, double[] vector, Map<String, String> payload) {
    }

    static Point point(long seed, int i, int dims) {
        Random r = new Random(seed * 1_000_003 + i);
        double[] v = new double[dims];
        for (int d = 0; d < dims; d++) {
            v[d] = r.nextDouble() * 2 - 1;
        }
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("data", "memory number " + i);
        payload.put("hash", Long.toHexString(r.nextLong()));
        payload.put("user_id", "user-" + (i % 100));
        payload.put("created_at", "2025-03-01T10:00:00.123456-08:00");
        return new Point(new UUID(r.nextLong(), r.nextLong()).toString(), v, payload);
    }

    static void write(Path root, int rows, int dims, long seed) throws Exception {
        Path dir = root.resolve("collection/mem0");
        Files.createDirectories(dir);
        Files.writeString(root.resolve("meta.json"), "{\"collections\": {\"mem0\": {\"vectors\": {\"size\": " + dims
                + ", \"distance\": \"Cosine\", \"hnsw_config\": null, \"quantization_config\": null, \"on_disk\": true, \"datatype\": null, "
                + "\"multivector_config\": null}, \"shard_number\": null, \"sharding_method\": null, \"replication_factor\": null, "
                + "\"write_consistency_factor\": null, \"on_disk_payload\": null, \"hnsw_config\": null, \"wal_config\": null, "
                + "\"optimizers_config\": null, \"quantization_config\": null, \"sparse_vectors\": null, \"strict_mode_config\": null, "
                + "\"metadata\": null}}, \"aliases\": {}}");
        Files.writeString(root.resolve(".lock"), "tmp lock file");
        Path file = dir.resolve("storage.sqlite");
        Files.deleteIfExists(file);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = OFF");
            s.execute("PRAGMA synchronous = OFF");
            s.execute("CREATE TABLE IF NOT EXISTS points (id TEXT PRIMARY KEY, point BLOB)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO points VALUES (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    Point p = point(seed, i, dims);
                    ps.setString(1, Base64.getEncoder().encodeToString(key(p.id())));
                    ps.setBytes(2, pointStruct(p));
                    ps.addBatch();
                    if (i % 5000 == 4999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
        }
    }

    /** pickle.dumps(str id), protocol 4. */
    static byte[] key(String id) {
        Pickle p = new Pickle();
        p.str(id);
        return p.done();
    }

    /** pickle.dumps(PointStruct(id, vector, payload)) under pydantic 1, protocol 4. */
    static byte[] pointStruct(Point point) {
        Pickle p = new Pickle();
        p.str("qdrant_client.http.models.models");
        p.str("PointStruct");
        p.op(0x93).memo(); // STACK_GLOBAL
        p.op(')').op(0x81).memo(); // EMPTY_TUPLE NEWOBJ
        p.op('}').memo().op('(');
        p.str("__dict__");
        p.op('}').memo().op('(');
        int id = p.str("id");
        p.str(point.id());
        int vector = p.str("vector");
        p.op(']').memo();
        for (int from = 0; from < point.vector().length; from += 1000) {
            p.op('(');
            for (int d = from; d < Math.min(from + 1000, point.vector().length); d++) {
                p.op('G').longBE(Double.doubleToRawLongBits(point.vector()[d]));
            }
            p.op('e'); // APPENDS
        }
        int payload = p.str("payload");
        p.op('}').memo().op('(');
        for (Map.Entry<String, String> e : point.payload().entrySet()) {
            p.str(e.getKey());
            p.str(e.getValue());
        }
        p.op('u'); // SETITEMS
        p.op('u');
        p.str("__fields_set__");
        p.op(0x8f).memo().op('(').binget(id).binget(vector).binget(payload).op(0x90); // EMPTY_SET ... ADDITEMS
        p.str("__private_attribute_values__");
        p.op('}').memo();
        p.op('u').op('b'); // SETITEMS BUILD
        return p.done();
    }

    /** Protocol 4 in one frame, as pickle.dumps writes a small object. */
    private static final class Pickle {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
        private int memo;

        Pickle op(int code) {
            body.write(code);
            return this;
        }

        Pickle memo() {
            body.write(0x94);
            memo++;
            return this;
        }

        /** SHORT_BINUNICODE (or BINUNICODE), then MEMOIZE; returns its memo index. */
        int str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length < 256) {
                body.write(0x8c);
                body.write(b.length);
            } else {
                body.write('X');
                for (int i = 0; i < 4; i++) {
                    body.write(b.length >>> (8 * i));
                }
            }
            body.writeBytes(b);
            memo();
            return memo - 1;
        }

        Pickle binget(int index) {
            body.write('h');
            body.write(index);
            return this;
        }

        Pickle longBE(long v) {
            for (int i = 7; i >= 0; i--) {
                body.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        byte[] done() {
            body.write('.');
            byte[] frame = body.toByteArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + 11);
            out.write(0x80);
            out.write(4);
            out.write(0x95);
            for (int i = 0; i < 8; i++) {
                out.write((int) ((long) frame.length >>> (8 * i)));
            }
            out.writeBytes(frame);
            return out.toByteArray();
        }
    }
}
