package dev.mig.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.data.Values;

/**
 * One anomaly of a watched store: which table, what kind (a stable id, the metric's label), how many
 * rows, what it means for mem0 and what to run.
 */
public record Finding(String store, String table, String kind, long count, String means, String run) {
    /** Kinds, each a label value of mig_watch_anomalies and a key of docs/monitoring/mig-alerts.yml. */
    public static final String UNREACHABLE = "unreachable";
    public static final String TABLE_GONE = "table-gone";
    public static final String SCHEMA_DRIFT = "schema-drift";
    public static final String INDEX_DRIFT = "index-drift";
    public static final String ORPHAN_TABLE = "orphan-table";
    public static final String LEGACY_WRITES = "legacy-writes";
    public static final String ROWS_VANISHED = "rows-vanished";
    public static final String CAPTURE_ON = "capture-on";
    public static final String QUEUE_NOT_DRAINED = "queue-not-drained";
    public static final String BACKUP_MISSING = "backup-missing";
    public static final String BACKUP_ALTERED = "backup-altered";
    public static final String NEVER_MIGRATED = "never-migrated";

    public String line() {
        return "  " + (table == null ? "-" : table) + "  " + kind + "  " + count + "  " + means + (run == null ? "" : "; run: " + run);
    }

    public ObjectNode json() {
        ObjectNode n = Values.JSON.createObjectNode();
        n.put("store", store);
        n.put("table", table);
        n.put("kind", kind);
        n.put("count", count);
        n.put("means", means);
        n.put("run", run);
        return n;
    }
}
