package dev.mig.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Python mem0's default vector store: a LOCAL Qdrant (qdrant-client's local mode, QdrantClient(path=...);
 * mem0's config default path /tmp/qdrant, mem0/configs/vector_stores/qdrant.py). qdrant-client v1.18.0
 * (qdrant_client/local/qdrant_local.py, persistence.py) keeps {@code <path>/meta.json} (each collection's
 * config: vectors size and distance, sparse vectors), {@code <path>/collection/<name>/storage.sqlite} with
 * {@code points(id TEXT PRIMARY KEY, point BLOB)} (id: base64 of the pickled point id; point: a pickled
 * PointStruct; older clients: storage.dbm) and {@code <path>/.lock}, which the client holds with an
 * exclusive non-blocking flock (portalocker) for as long as it is open: one process at a time.
 */
public final class QdrantLocal {
    /** One collection as meta.json describes it. */
    public record Collection(String name, int size, String distance, List<String> sparse, Path storage, boolean oldDbm) {
        public boolean bm25() {
            return sparse.contains("bm25");
        }
    }

    private QdrantLocal() {
    }

    /** The store's folder when {@code url} is jdbc:sqlite:<path>/collection/<name>/storage.sqlite, else empty. */
    public static Optional<Path> rootOf(String url) {
        if (url == null || !url.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String file = url.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        file = (q < 0 ? file : file.substring(0, q)).replaceFirst("^file:", "");
        Path p = Path.of(file).toAbsolutePath().normalize();
        if (p.getFileName() == null || !p.getFileName().toString().equals("storage.sqlite") || p.getNameCount() < 3
                || !p.getParent().getParent().getFileName().toString().equals("collection")) {
            return Optional.empty();
        }
        return Optional.of(p.getParent().getParent().getParent());
    }

    /** The collection name of such a URL. */
    public static String collectionOf(String url) {
        String file = url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "");
        return Path.of(file).getParent().getFileName().toString();
    }

    public static boolean isStore(Path dir) {
        return Files.isRegularFile(dir.resolve("meta.json")) && Files.isDirectory(dir.resolve("collection"))
                || Files.isRegularFile(dir.resolve("meta.json")) && Files.exists(dir.resolve(".lock"));
    }

    /** The collections meta.json lists, by name (in its order). */
    public static Map<String, Collection> collections(Path root) {
        Map<String, Collection> out = new LinkedHashMap<>();
        JsonNode meta;
        try {
            meta = Values.parseJson(Files.readString(root.resolve("meta.json"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return out;
        }
        meta.path("collections").fields().forEachRemaining(e -> {
            JsonNode vectors = e.getValue().path("vectors");
            JsonNode dense = vectors.has("size") ? vectors : vectors.path("");
            List<String> sparse = new ArrayList<>();
            e.getValue().path("sparse_vectors").fieldNames().forEachRemaining(sparse::add);
            Path dir = root.resolve("collection").resolve(e.getKey());
            out.put(e.getKey(), new Collection(e.getKey(), dense.path("size").asInt(0), dense.path("distance").asText("?"), sparse,
                    dir.resolve("storage.sqlite"), !Files.exists(dir.resolve("storage.sqlite")) && Files.exists(dir.resolve("storage.dbm"))));
        });
        return out;
    }

    /**
     * Who holds the store's lock: a running qdrant-client (mem0) keeps an exclusive flock on
     * {@code <path>/.lock} while it is open. Read from /proc/locks (Linux), which lists flock and POSIX locks
     * by device and inode; null when nobody holds it (or when this system cannot tell).
     */
    public static String holder(Path root) {
        Path lock = root.resolve(".lock");
        Path locks = Path.of("/proc/locks");
        if (!Files.isRegularFile(lock) || !Files.isReadable(locks)) {
            return null;
        }
        try {
            long inode = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
            long dev = ((Number) Files.getAttribute(lock, "unix:dev")).longValue();
            long major = (dev >>> 8) & 0xfff | (dev >>> 32) & ~0xfffL;
            long minor = dev & 0xff | (dev >>> 12) & ~0xffL;
            for (String line : Files.readAllLines(locks)) {
                String[] f = line.trim().split("\\s+");
                // "1: FLOCK  ADVISORY  WRITE 4242 fd:01:262148 0 EOF" (a blocked waiter's line has "->" after the number)
                int at = f.length > 1 && f[1].equals("->") ? 2 : 1;
                if (f.length < at + 5) {
                    continue;
                }
                String[] device = f[at + 4].split(":");
                if (device.length == 3 && Long.parseLong(device[2]) == inode && Long.parseLong(device[0], 16) == major
                        && Long.parseLong(device[1], 16) == minor) {
                    String pid = f[at + 3];
                    return "process " + pid + command(pid) + " holds " + lock + " (a running qdrant-client: mem0 has the "
                            + "store open)";
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String command(String pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
            String cmd = new String(raw, StandardCharsets.UTF_8).replaceAll("[\\x00-\\x1f]+", " ").strip();
            return cmd.isEmpty() ? "" : " (" + (cmd.length() > 80 ? cmd.substring(0, 77) + "..." : cmd) + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Why a connect to a collection's storage.sqlite found no file, in the store's own terms; null when not one. */
    public static String missing(String url) {
        Optional<Path> root = rootOf(url);
        if (root.isEmpty() || Files.exists(Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")))) {
            return null;
        }
        String name = collectionOf(url);
        if (!Files.isRegularFile(root.get().resolve("meta.json"))) {
            return "no local Qdrant store at " + root.get() + " (no meta.json there): MEM0_QDRANT_PATH is the path of mem0's "
                    + "Qdrant config (vector_store.config.path; mem0's default /tmp/qdrant)";
        }
        Map<String, Collection> all = collections(root.get());
        Collection c = all.get(name);
        if (c != null && c.oldDbm()) {
            return "collection '" + name + "' of the local Qdrant store at " + root.get() + " is in qdrant-client's old "
                    + "storage.dbm format; open the store once with qdrant-client 1.1 or later (it converts it to storage.sqlite), "
                    + "then run again";
        }
        return "no collection '" + name + "' in the local Qdrant store at " + root.get() + " (meta.json lists: "
                + (all.isEmpty() ? "none" : String.join(", ", all.keySet())) + "): set MEM0_QDRANT_COLLECTION";
    }
}
