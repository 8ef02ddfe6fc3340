package dev.mig.mem0;

import dev.mig.db.TableInfo;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Recognises mem0's storage formats from a table's name and columns (see shared/MEM0.md). */
public final class Formats {
    public static final Set<String> HISTORY_G0 = Set.of("id", "memory_id", "prev_value", "new_value", "event", "timestamp",
            "is_deleted");
    public static final Set<String> HISTORY_G1 = Set.of("id", "memory_id", "old_memory", "new_memory", "new_value", "event",
            "created_at", "updated_at", "is_deleted");
    public static final Set<String> HISTORY_G2 = Set.of("id", "memory_id", "old_memory", "new_memory", "event", "created_at",
            "updated_at", "is_deleted", "actor_id", "role");
    public static final Set<String> TS_HISTORY = Set.of("id", "memory_id", "previous_value", "new_value", "action",
            "created_at", "updated_at", "is_deleted");
    public static final Set<String> MESSAGES = Set.of("id", "session_scope", "role", "content", "name", "created_at");
    public static final Set<String> COLLECTION = Set.of("id", "vector", "payload");

    private Formats() {
    }

    /** A short description of the mem0 format of a table, or "-" when it is none. */
    public static String recognise(TableInfo table) {
        Set<String> columns = table.columns().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        String name = table.name().toLowerCase(Locale.ROOT);
        if (name.equals("vectors") && columns.containsAll(COLLECTION) && table.column("vector") != null
                && table.column("vector").declaredType().equalsIgnoreCase("BLOB")) {
            return "TypeScript SDK local vector store (float32 vectors)";
        }
        if (columns.containsAll(COLLECTION) && columns.size() <= 4) {
            if (name.equals("mem0migrations") || name.endsWith(".mem0migrations")) {
                return "mem0migrations (internal; leave as is)";
            }
            if (name.endsWith("_entities")) {
                return "pgvector entities (2.0+)";
            }
            return "pgvector collection";
        }
        if (name.equals("old_history") || name.equals("history_old")) {
            return (columns.contains("new_value") ? "history G1" : columns.containsAll(HISTORY_G2) ? "history G2" : "history")
                    + ", ORPHANED (no mem0 release reads it; 008/009 recover it)";
        }
        if (columns.containsAll(HISTORY_G2)) {
            return "history G2 (0.1.100+, current)";
        }
        if (columns.containsAll(HISTORY_G1)) {
            return "history G1 (0.0.10-0.1.99)";
        }
        if (columns.containsAll(HISTORY_G0)) {
            return "history G0 (<= 0.0.9)";
        }
        if (columns.containsAll(TS_HISTORY)) {
            return "TypeScript SDK memory_history";
        }
        if (columns.containsAll(MESSAGES)) {
            return "messages";
        }
        if (name.startsWith("mig_")) {
            return "mig state";
        }
        return "-";
    }

    public static boolean isCollection(TableInfo table) {
        return recognise(table).startsWith("pgvector collection");
    }

    /** Columns of the legacy history generation that mem0's own upgrade to G2 drops. */
    public static List<String> droppedByMem0Upgrade(String format) {
        if (format.startsWith("history G0")) {
            return List.of("prev_value", "new_value", "timestamp");
        }
        if (format.startsWith("history G1")) {
            return List.of("new_value");
        }
        return List.of();
    }
}
