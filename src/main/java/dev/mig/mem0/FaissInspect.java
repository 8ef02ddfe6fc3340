package dev.mig.mem0;

import dev.mig.MigException;
import dev.mig.data.Values;
import dev.mig.faiss.FaissDocstore;
import dev.mig.faiss.FaissIndex;
import dev.mig.faiss.FaissStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code mig inspect <path>} on mem0's FAISS store (mem0/vector_stores/faiss.py): each collection's dims,
 * metric, index rows and docstore (JSON from mem0 2.0, a pickle before), its users, what a move would
 * reject (memories without an index row, ids that are not UUIDs), the rows no memory points to, and the
 * pack script to run. Every file is only read.
 */
final class FaissInspect {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private FaissInspect() {
    }

    static void inspect(Path dir, Consumer<String> line, Consumer<String> advice) {
        Map<String, Path> indexes = FaissStore.indexes(dir);
        line.accept("store " + dir + ": mem0's FAISS store (mem0/vector_stores/faiss.py), " + indexes.size() + " collection"
                + (indexes.size() == 1 ? "" : "s"));
        line.accept("  note: mem0 rewrites the whole index and docstore on every insert and delete; stop it before a move");
        for (Map.Entry<String, Path> e : indexes.entrySet()) {
            try {
                collection(dir, e.getKey(), e.getValue(), line, advice);
            } catch (MigException refused) {
                line.accept("  collection " + e.getKey() + ": " + refused.getMessage());
            }
        }
    }

    private static void collection(Path dir, String name, Path file, Consumer<String> line, Consumer<String> advice) {
        Path docstore = FaissDocstore.file(dir, name);
        try (FaissIndex index = FaissIndex.open(file)) {
            String metric = index.metric().equals("L2") ? "L2 (mem0's euclidean)" : index.metric().equals("inner product")
                    ? "inner product (mem0's inner_product, or cosine: " + unitNote(index) + ")" : index.metric();
            line.accept("  collection " + name + ": " + index.dims() + " dims, " + metric + ", " + index.count() + " index rows");
            if (docstore == null) {
                line.accept("      no docstore (" + name + ".json or " + name + ".pkl): the vectors have no ids; nothing can move");
                return;
            }
            boolean both = Files.isRegularFile(dir.resolve(name + ".pkl")) && Files.isRegularFile(dir.resolve(name + ".json"));
            line.accept("      docstore: " + docstore.getFileName() + (docstore.toString().endsWith(".json")
                    ? " (mem0 2.0 on" + (both ? "; the .pkl beside it is the pickle mem0 2.0 read once and left" : "") + ")"
                    : " (a pickle: mem0 before 2.0; read without running it, plain data only)"));
            Stats s = new Stats();
            FaissDocstore.read(docstore, s);
            long withRow = 0;
            long notUuid = 0;
            for (String id : s.ids) {
                Long row = s.rowOf.get(id);
                withRow += row != null && row >= 0 && row < index.count() ? 1 : 0;
                notUuid += UUID.matcher(id).matches() ? 0 : 1;
            }
            long unused = index.count() - withRow;
            line.accept("      memories: " + s.ids.size() + " (" + withRow + " with an index row)");
            line.accept("      users: " + s.users.size() + top(s.users) + "; agents: " + s.agents.size() + top(s.agents) + "; runs: "
                    + s.runs.size() + top(s.runs));
            if (s.ids.size() - withRow + notUuid > 0) {
                line.accept("      a move would reject: " + (s.ids.size() - withRow) + " memories no index row points to, " + notUuid
                        + " ids that are not UUIDs (pgvector's id column is uuid)");
            }
            if (unused > 0) {
                line.accept("      " + unused + " index rows no memory points to: vectors of deleted memories, which mem0 before 1.0.9 left "
                        + "in the index (fixed by 27a6e7863, mem0 PR #4178). Its inserts after such a delete were numbered by the "
                        + "count of ids, so a memory added or updated since may point at another memory's row; mig moves what mem0's "
                        + "own search returns for each id. Re-embed the memories added or updated after the first delete to be sure.");
            }
            advice.accept("MEM0_FAISS_PATH='" + dir + "' MEM0_FAISS_COLLECTION=" + name + " MEM0_DIMS=" + index.dims()
                    + " MEM0_PG_URL=... MEM0_COLLECTION=" + name + " mig run scripts/mem0/023_faiss_local_to_pgvector.mig   "
                    + "(moves the FAISS store to a pgvector collection; then configure mem0's pgvector vector store)");
        }
    }

    /** Whether the first rows are unit vectors, as mem0's cosine strategy stores them (normalize_L2 on insert). */
    private static String unitNote(FaissIndex index) {
        long n = Math.min(index.count(), 100);
        if (n == 0) {
            return "no rows to tell";
        }
        for (long i = 0; i < n; i++) {
            ByteBuffer b = ByteBuffer.wrap(index.row(i)).order(ByteOrder.LITTLE_ENDIAN);
            double sum = 0;
            while (b.hasRemaining()) {
                float f = b.getFloat();
                sum += (double) f * f;
            }
            if (Math.abs(Math.sqrt(sum) - 1) > 1e-3) {
                return "not unit vectors, so inner_product";
            }
        }
        return "unit vectors, so likely cosine";
    }

    private static String top(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" (");
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(5)
                .forEach(e -> out.append(out.length() > 2 ? ", " : "").append(e.getKey()).append(' ').append(e.getValue()));
        return out.append(counts.size() > 5 ? ", ...)" : ")").toString();
    }

    private static final class Stats implements FaissDocstore.Sink {
        final Set<String> ids = new HashSet<>();
        final Map<String, Long> rowOf = new HashMap<>();
        final Map<String, Long> users = new TreeMap<>();
        final Map<String, Long> agents = new TreeMap<>();
        final Map<String, Long> runs = new TreeMap<>();

        @Override
        public void doc(String id, String payloadJson) {
            ids.add(id);
            if (payloadJson != null) {
                var payload = Values.parseJson(payloadJson);
                count(users, payload.path("user_id").asText(null));
                count(agents, payload.path("agent_id").asText(null));
                count(runs, payload.path("run_id").asText(null));
            }
        }

        @Override
        public void row(long row, String id) {
            rowOf.put(id, row);
        }

        private static void count(Map<String, Long> counts, String id) {
            if (id != null) {
                counts.merge(id, 1L, Long::sum);
            }
        }
    }
}
