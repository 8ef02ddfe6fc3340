package dev.mig.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Timestamps;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows written since the migration in a format the migration removed: what an old mem0 release (or a
 * TypeScript SDK v2 client) writes into a migrated store (MEM0.md section 5). Read only from a storage
 * position on (SQLite's rowid: each check reads only the rows added since the one before), or, where the
 * database has none (PostgreSQL), the rows whose own timestamps are after the migration.
 */
final class LegacyRows {
    /** What was found and the last position read. */
    /** Rows with at least one hazard, the hazards by kind (a row may have several), the last position, rows read. */
    record Found(long rows, Map<String, Long> hazards, Long position, long scanned, long deletes) {
        long total() {
            return rows;
        }
    }

    private LegacyRows() {
    }

    static boolean history(String format) {
        return format.startsWith("history G");
    }

    static boolean collection(String format) {
        return format.startsWith("pgvector collection");
    }

    /** The hazards of one row (columns from 2 on), or null when the row is from before the migration. */
    private interface Classifier {
        List<String> hazards(ResultSet rs) throws SQLException;
    }

    /** Counts legacy rows of a history or collection table after {@code position} (or after {@code since}). */
    static Found count(Database db, TableInfo table, String format, Long position, Instant since) throws SQLException {
        String pos = db.dialect().changePosition(db, table);
        boolean byPosition = pos != null && position != null;
        String select;
        Classifier classifier;
        if (history(format) && table.column("event") != null && table.column("created_at") != null) {
            select = "event, created_at";
            classifier = rs -> historyHazards(rs.getString(2), rs.getObject(3), byPosition, since);
        } else if (collection(format)) {
            select = db.dialect().asText(db.dialect().quote("payload"));
            classifier = rs -> payloadHazards(rs.getString(2), byPosition, since);
        } else {
            return new Found(0, Map.of(), position, 0, 0);
        }
        String sql = "SELECT " + (byPosition ? pos : "NULL") + ", " + select + " FROM " + db.dialect().table(table.name())
                + (byPosition ? " WHERE " + pos + " > ? ORDER BY " + pos : "");
        Map<String, Long> hazards = new TreeMap<>();
        Long last = position;
        long scanned = 0;
        long rows = 0;
        long deletes = 0;
        boolean history = history(format) && table.column("event") != null;
        try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
            if (byPosition) {
                ps.setLong(1, position);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scanned++;
                    if (byPosition) {
                        last = rs.getLong(1);
                    }
                    if (history && byPosition && "DELETE".equalsIgnoreCase(rs.getString(2))) {
                        deletes++;
                    }
                    List<String> found = classifier.hazards(rs);
                    if (found != null && !found.isEmpty()) {
                        rows++;
                        found.forEach(h -> hazards.merge(h, 1L, Long::sum));
                    }
                }
            }
        }
        db.commit();
        return new Found(rows, hazards, last, scanned, deletes);
    }

    private static List<String> historyHazards(String event, Object created, boolean byPosition, Instant since) {
        if (!byPosition && !after(created, since)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (event != null && !event.equals(event.toUpperCase(Locale.ROOT))) {
            out.add("lowercase events (mem0 0.0.x)");
        }
        String era = Timestamps.era(created);
        if (!era.equals("utc") && !era.equals("missing")) {
            out.add(era + " created_at (mem0 before 1.0.7, or a payload 006 did not normalise)");
        }
        return out;
    }

    private static List<String> payloadHazards(String text, boolean byPosition, Instant since) {
        JsonNode p;
        try {
            p = text == null ? null : Values.parseJson(text);
        } catch (RuntimeException e) {
            return null;
        }
        if (p == null || !p.isObject() || p.path("type").asText("").equals("user_identity")) {
            return null;
        }
        JsonNode created = p.has("createdAt") ? p.get("createdAt") : p.get("created_at");
        JsonNode updated = p.has("updatedAt") ? p.get("updatedAt") : p.get("updated_at");
        if (!byPosition && !after(created, since) && !after(updated, since)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (p.has("userId") || p.has("agentId") || p.has("runId")) {
            out.add("TS v2 camelCase ids (a TypeScript SDK 2.x client; invisible to v3 filters)");
        }
        boolean ts = p.has("createdAt");
        if (!ts && created != null && !created.isNull() && !Timestamps.era(created).equals("utc")) {
            out.add(Timestamps.era(created) + " created_at (an old Python release)");
        }
        if (!ts && p.has("data") && !p.hasNonNull("hash")) {
            out.add("no hash (mem0 0.0.x)");
        }
        return out;
    }

    private static boolean after(Object timestamp, Instant since) {
        if (since == null || timestamp == null || timestamp instanceof JsonNode n && n.isNull()) {
            return false;
        }
        try {
            return !Timestamps.instant(timestamp).isBefore(since);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
