package dev.mig.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.LogicalType;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.db.TableInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The TypeScript SDK's local vector store (provider {@code memory}, MEM0.md section 6): {@code vectors(id
 * TEXT PRIMARY KEY, vector BLOB NOT NULL, payload TEXT NOT NULL)} in a SQLite file, little-endian float32
 * vectors, payload JSON with v2 camelCase or v3 snake_case ids. Its default file moved from
 * {@code ./vector_store.db} (working directory) to {@code ~/.mem0/vector_store.db} (mem0-ts
 * src/oss/src/vector_stores/memory.ts): a current SDK that finds only the old file warns and starts an
 * empty store.
 */
final class LocalStore {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private LocalStore() {
    }

    static boolean is(Database db, TableInfo t) {
        return db.dialect().applicationFile() && t.name().equalsIgnoreCase("vectors") && t.column("vector") != null
                && t.column("payload") != null && t.column("vector").type() == LogicalType.BINARY;
    }

    /** Dims, counts, payload conventions and bad rows; returns the dims when every vector has the same. */
    static Integer describe(Database db, TableInfo t, Consumer<String> detail) throws SQLException {
        Map<Long, Long> dims = new TreeMap<>();
        long oddLength = 0;
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT length(vector), count(*) FROM vectors GROUP BY 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getLong(1) % 4 != 0) {
                    oddLength += rs.getLong(2);
                } else {
                    dims.merge(rs.getLong(1) / 4, rs.getLong(2), Long::sum);
                }
            }
        }
        long v2 = 0;
        long v3 = 0;
        long notJson = 0;
        long notUuid = 0;
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT id, payload FROM vectors");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1) == null || !UUID.matcher(rs.getString(1)).matches()) {
                    notUuid++;
                }
                JsonNode p;
                try {
                    p = Values.parseJson(rs.getString(2));
                } catch (RuntimeException e) {
                    notJson++;
                    continue;
                }
                if (p.has("userId") || p.has("agentId") || p.has("runId")) {
                    v2++;
                } else if (p.has("user_id") || p.has("agent_id") || p.has("run_id")) {
                    v3++;
                }
            }
        }
        detail.accept("vectors: " + (dims.size() == 1 ? dims.keySet().iterator().next() + " dims" : dims.isEmpty() ? "none"
                : "MIXED dims " + dims + " (one pgvector column takes one size: these cannot move as they are)")
                + "; payloads: " + v2 + " TS v2 (camelCase ids), " + v3 + " TS v3 (snake_case)");
        if (oddLength + notJson + notUuid > 0) {
            detail.accept("rows a move would reject: " + oddLength + " vectors whose bytes are not whole float32s, " + notJson
                    + " payloads that are not JSON, " + notUuid + " ids that are not UUIDs (pgvector's id column is uuid)");
        }
        return dims.size() == 1 ? dims.keySet().iterator().next().intValue() : null;
    }

    /** What to run to move it to a pgvector collection (the SDK's pgvector provider on a server). */
    static String moveAdvice(String url, Integer dims) {
        return "MEM0_TS_VECTORS_URL='" + JdbcUrls.redact(url) + "' MEM0_PG_URL=... MEM0_COLLECTION=memories MEM0_DIMS="
                + (dims == null ? "<dims>" : dims) + " mig run scripts/mem0/015_ts_vector_store_to_pgvector.mig   "
                + "(optional: to move the local store to pgvector; then configure the SDK's pgvector provider)";
    }

    /**
     * A directory given to inspect: the old default location ({@code DIR/vector_store.db}, where the SDK
     * ran) and the new one ({@code DIR/.mem0/vector_store.db}, when DIR is the home directory).
     */
    static void inspectDirectory(Path dir, Consumer<String> line, Consumer<String> advice, Consumer<String> inspectUrl) {
        Path old = dir.resolve("vector_store.db");
        Path now = dir.resolve(".mem0").resolve("vector_store.db");
        line.accept("directory " + dir + ": " + (Files.exists(old) ? "vector_store.db (the TS SDK's default before 2026-03-12)"
                : "no vector_store.db") + ", " + (Files.exists(now) ? ".mem0/vector_store.db (the default since)"
                : "no .mem0/vector_store.db"));
        if (Files.exists(old)) {
            long oldRows = rows(old);
            long newRows = Files.exists(now) ? rows(now) : 0;
            if (oldRows > 0) {
                line.accept("      MOVED DEFAULT FILE: " + oldRows + " memories in " + old + "; a current SDK (npm 2.4.6+, 3.x) "
                        + "without vectorStore.config.dbPath reads " + now + " (" + (Files.exists(now) ? newRows + " memories"
                        : "not there: it starts an EMPTY store") + "): the memories look gone");
                advice.accept("MEM0_TS_OLD_VECTORS_URL='jdbc:sqlite:" + old + "' MEM0_TS_VECTORS_URL='jdbc:sqlite:" + now
                        + "' mig run scripts/mem0/016_ts_vector_store_moved_default.mig   (merges the old file into the new "
                        + "location: keys kept, nothing overwritten)");
            }
            inspectUrl.accept("jdbc:sqlite:" + old);
        }
        if (Files.exists(now)) {
            inspectUrl.accept("jdbc:sqlite:" + now);
        }
    }

    private static long rows(Path file) {
        Database db = Database.open("local", "jdbc:sqlite:" + file, true, false);
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT count(*) FROM vectors"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // not a local store (yet)
        } finally {
            db.close();
        }
    }
}
