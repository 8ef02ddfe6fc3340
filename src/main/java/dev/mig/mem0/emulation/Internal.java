package dev.mig.mem0.emulation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** mem0's internal tables beside a collection (MEM0.md section 3), which a migration must leave alone. */
public final class Internal {
    private Internal() {
    }

    /**
     * The Python telemetry collection (mem0_migrations 0.1.89, mem0-migrations 0.1.94, mem0migrations
     * 0.1.95+): {"user_id": uuid, "type": "user_identity"}, a new row on every start until 0.1.116.
     */
    public static void telemetry(Connection c, String table, boolean postgres, String vectorType, int starts, long seed)
            throws SQLException {
        Random random = new Random(seed);
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        String user = new UUID(random.nextLong(), random.nextLong()).toString();
        for (int i = 0; i < starts; i++) {
            ObjectNode p = Payloads.object();
            p.put("user_id", user);
            p.put("type", "user_identity");
            rows.put(new UUID(random.nextLong(), random.nextLong()).toString(), p);
        }
        Payloads.writeCollection(c, table, postgres, vectorType, seed, rows);
    }

    /** {@code <col>_entities} (2.0+): {data, entity_type, linked_memory_ids, user_id}, no timestamps or hash. */
    public static void entities(Connection c, String table, boolean postgres, String vectorType, Payloads memories, long seed)
            throws SQLException {
        Random random = new Random(seed);
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        for (String name : new String[] {"Biscuit", "Lyon", "Sam"}) {
            ObjectNode p = Payloads.object();
            p.put("data", name);
            p.put("entity_type", "person");
            var linked = p.putArray("linked_memory_ids");
            memories.ids().stream().limit(2).forEach(linked::add);
            p.put("user_id", "alice");
            rows.put(new UUID(random.nextLong(), random.nextLong()).toString(), p);
        }
        Payloads.writeCollection(c, table, postgres, vectorType, seed, rows);
    }
}
