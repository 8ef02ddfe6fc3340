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
    record Found(long rows, Map<String, Long> hazards, Long position, long scanned) {
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

    /** Counts legacy rows of a history or collection table after {@code position} (or after {@code since}). */
    static Found count(Database db, TableInfo table, String format, Long position, Instant since) throws SQLException {
        Map<String, Long> hazards = new TreeMap<>();
        String pos = db.dialect().changePosition(db, table);
        boolean byPosition = pos != null && position != null;
        String name = db.dialect().table(table.name());
        Long last = position;
        long scanned = 0;
        long rows = 0;
        if (history(format) && table.column("event") != null && table.column("created_at") != null) {
            String sql = "SELECT " + (byPosition ? pos : "NULL") + ", event, created_at FROM " + name
                    + (byPosition ? " WHERE " + pos + " > ? ORDER BY " + pos : "");
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
                        Object created = rs.getObject(3);
                        if (!byPosition && !after(created, since)) {
                            continue;
                        }
                        int before = hazards.values().stream().mapToInt(Long::intValue).sum();
                        String event = rs.getString(2);
                        if (event != null && !event.equals(event.toUpperCase(java.util.Locale.ROOT))) {
                            hazards.merge("lowercase events (mem0 0.0.x)", 1L, Long::sum);
                        }
                        String era = Timestamps.era(created);
                        if (!era.equals("utc") && !era.equals("missing")) {
                            hazards.merge(era + " created_at (mem0 before 1.0.7, or a payload 006 did not normalise)", 1L, Long::sum);
                        }
                        rows += hazards.values().stream().mapToInt(Long::intValue).sum() > before ? 1 : 0;
                    }
                }
            }
        } else if (collection(format)) {
            String payload = db.dialect().asText(db.dialect().quote("payload"));
            String sql = "SELECT " + (byPosition ? pos : "NULL") + ", " + payload + " FROM " + name
                    + (byPosition ? " WHERE " + pos + " > ? ORDER BY " + pos : "");
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
                        JsonNode p;
                        try {
                            p = rs.getString(2) == null ? null : Values.parseJson(rs.getString(2));
                        } catch (RuntimeException e) {
                            continue;
                        }
                        if (p == null || !p.isObject() || p.path("type").asText("").equals("user_identity")) {
                            continue;
                        }
                        JsonNode created = p.has("createdAt") ? p.get("createdAt") : p.get("created_at");
                        JsonNode updated = p.has("updatedAt") ? p.get("updatedAt") : p.get("updated_at");
                        if (!byPosition && !after(created, since) && !after(updated, since)) {
                            continue;
                        }
                        int before = hazards.values().stream().mapToInt(Long::intValue).sum();
                        if (p.has("userId") || p.has("agentId") || p.has("runId")) {
                            hazards.merge("TS v2 camelCase ids (a TypeScript SDK 2.x client; invisible to v3 filters)", 1L, Long::sum);
                        }
                        boolean ts = p.has("createdAt");
                        if (!ts && created != null && !created.isNull()) {
                            String era = Timestamps.era(created);
                            if (!era.equals("utc")) {
                                hazards.merge(era + " created_at (an old Python release)", 1L, Long::sum);
                            }
                        }
                        if (!ts && p.has("data") && !p.hasNonNull("hash")) {
                            hazards.merge("no hash (mem0 0.0.x)", 1L, Long::sum);
                        }
                        rows += hazards.values().stream().mapToInt(Long::intValue).sum() > before ? 1 : 0;
                    }
                }
            }
        }
        db.commit();
        return new Found(rows, hazards, last, scanned);
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
