package dev.mig.mem0;

import dev.mig.db.Database;
import dev.mig.pickle.Pickles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code mig inspect <path>} on a local Qdrant store: each collection's points, dims, distance and era
 * (one unnamed vector: mem0 before 2.0; named vectors with a bm25 slot: 2.0 on), its users, agents and
 * runs, what a move would reject (ids that are not UUIDs, pickles mig refuses), who holds the lock, and
 * the pack script to run with its variables. Every file is only read.
 */
final class QdrantInspect {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private QdrantInspect() {
    }

    static void inspect(Path root, Consumer<String> line, Consumer<String> advice) {
        Map<String, QdrantLocal.Collection> collections = QdrantLocal.collections(root);
        line.accept("store " + root + ": a local Qdrant (qdrant-client's local mode; Python mem0's default vector store), "
                + collections.size() + " collection" + (collections.size() == 1 ? "" : "s"));
        String holder = QdrantLocal.holder(root);
        line.accept("  lock: " + (holder == null ? "free (no running qdrant-client has the store open)"
                : "HELD: " + holder + "; a move refuses to start until it ends"));
        line.accept("  note: mem0 before 1.0.8 deletes this folder at every start unless its Qdrant config sets on_disk: true "
                + "(mem0/vector_stores/qdrant.py; fixed by ecedbc11d, mem0 issue #4473): move it with a mem0 of any release stopped");
        for (QdrantLocal.Collection c : collections.values()) {
            collection(root, c, line, advice);
        }
    }

    private static void collection(Path root, QdrantLocal.Collection c, Consumer<String> line, Consumer<String> advice) {
        String era = c.bm25() ? "named vectors with a bm25 sparse slot (mem0 2.0+; mig moves the dense \"\" vector, pgvector's "
                + "text_lemmatized index takes over keyword search)" : "one unnamed vector (mem0 before 2.0)";
        line.accept("  collection " + c.name() + ": " + c.size() + " dims, " + c.distance() + ", " + era);
        if (c.oldDbm()) {
            line.accept("      storage.dbm (qdrant-client before 1.1): open the store once with a current qdrant-client, which "
                    + "converts it to storage.sqlite, then inspect again");
            return;
        }
        if (!Files.isRegularFile(c.storage())) {
            line.accept("      no storage.sqlite: no point was ever written");
            return;
        }
        Stats s = new Stats();
        Database db = Database.open("qdrant", "jdbc:sqlite:" + c.storage(), true, false);
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT id, point FROM points"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                s.point(rs.getString(1), rs.getBytes(2), c.size());
            }
        } catch (SQLException e) {
            line.accept("      cannot read " + c.storage() + ": " + Database.rootMessage(e));
            return;
        } finally {
            db.close();
        }
        line.accept("      points: " + s.points + " (" + s.unnamed + " with one unnamed vector, " + s.named + " with named vectors, "
                + s.bm25 + " with a bm25 vector)");
        line.accept("      users: " + top(s.users) + "; agents: " + top(s.agents) + "; runs: " + top(s.runs));
        if (s.notUuid + s.refused + s.wrongDims > 0) {
            line.accept("      a move would reject: " + s.notUuid + " ids that are not UUIDs (pgvector's id column is uuid), "
                    + s.refused + " pickles mig refuses" + (s.firstRefusal == null ? "" : " (first: " + s.firstRefusal + ")") + ", "
                    + s.wrongDims + " vectors of another size than " + c.size());
        }
        advice.accept("MEM0_QDRANT_PATH='" + root + "' MEM0_QDRANT_COLLECTION=" + c.name() + " MEM0_DIMS=" + c.size()
                + " MEM0_PG_URL=... MEM0_COLLECTION=" + c.name() + " mig run scripts/mem0/022_qdrant_local_to_pgvector.mig   "
                + "(moves the local store to a pgvector collection; then configure mem0's pgvector vector store)");
    }

    private static String top(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder(counts.size() + " (");
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(5)
                .forEach(e -> out.append(out.charAt(out.length() - 1) == '(' ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
        return out.append(counts.size() > 5 ? ", ...)" : ")").toString();
    }

    /** Counts over the points, each unpickled once. */
    private static final class Stats {
        long points;
        long unnamed;
        long named;
        long bm25;
        long notUuid;
        long refused;
        long wrongDims;
        String firstRefusal;
        final Map<String, Long> users = new TreeMap<>();
        final Map<String, Long> agents = new TreeMap<>();
        final Map<String, Long> runs = new TreeMap<>();

        void point(String key, byte[] pickle, int dims) {
            points++;
            Object value;
            try {
                Object id = Pickles.load(Base64.getDecoder().decode(key));
                if (!(id instanceof String text) || !UUID.matcher(text).matches()) {
                    notUuid++;
                }
                value = Pickles.load(pickle);
                Pickles.json(value);
            } catch (RuntimeException e) {
                refused++;
                if (firstRefusal == null) {
                    firstRefusal = e.getMessage();
                }
                return;
            }
            Map<String, Object> fields = value instanceof Pickles.Model m ? m.fields() : Map.of();
            Object vector = fields.get("vector");
            if (vector instanceof List<?> list) {
                unnamed++;
                wrongDims += list.size() == dims ? 0 : 1;
            } else if (vector instanceof Map<?, ?> map) {
                named++;
                bm25 += map.containsKey("bm25") ? 1 : 0;
                wrongDims += map.get("") instanceof List<?> dense && dense.size() == dims ? 0 : 1;
            }
            if (fields.get("payload") instanceof Map<?, ?> payload) {
                count(users, payload.get("user_id"));
                count(agents, payload.get("agent_id"));
                count(runs, payload.get("run_id"));
            }
        }

        private static void count(Map<String, Long> counts, Object id) {
            if (id != null) {
                counts.merge(String.valueOf(id), 1L, Long::sum);
            }
        }
    }
}
