package dev.mig.mem0.emulation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.data.Values;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The vector store of an emulated mem0: one payload per memory id, in insertion order, as mem0's
 * code left it (MEM0.md section 3). Written out as a collection table when a store is made.
 */
public final class Payloads {
    private final Map<String, ObjectNode> byId = new LinkedHashMap<>();

    public ObjectNode get(String id) {
        return byId.get(id);
    }

    public void put(String id, ObjectNode payload) {
        byId.put(id, payload);
    }

    public void remove(String id) {
        byId.remove(id);
    }

    public List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    public int size() {
        return byId.size();
    }

    public static ObjectNode object() {
        return Values.NODES.objectNode();
    }

    /**
     * {@code CREATE TABLE <table> (id UUID PRIMARY KEY, vector vector(dims), payload JSONB)} and the rows,
     * as mem0's pgvector store writes them; on SQLite (the demo's stand-in) TEXT columns. {@code vectorType}
     * is {@code vector(4)} with pgvector, {@code real[]} without it.
     */
    public void writeCollection(Connection c, String table, boolean postgres, String vectorType, long seed) throws SQLException {
        writeCollection(c, table, postgres, vectorType, seed, byId);
    }

    static void writeCollection(Connection c, String table, boolean postgres, String vectorType, long seed,
            Map<String, ObjectNode> rows) throws SQLException {
        String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + quoted + " (id " + (postgres ? "UUID" : "TEXT") + " PRIMARY KEY, vector "
                    + vectorType + ", payload " + (postgres ? "JSONB" : "TEXT") + ")");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        Random random = new Random(seed);
        String values = postgres ? "(CAST(? AS uuid), CAST(? AS " + vectorType + "), CAST(? AS jsonb))" : "(?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + quoted + " (id, vector, payload) VALUES " + values)) {
            for (Map.Entry<String, ObjectNode> row : rows.entrySet()) {
                ps.setString(1, row.getKey());
                ps.setString(2, vector(random, vectorType.startsWith("real[]") || vectorType.endsWith("[]")));
                ps.setString(3, row.getValue().toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(auto);
    }

    private static String vector(Random random, boolean array) {
        StringBuilder out = new StringBuilder(array ? "{" : "[");
        for (int d = 0; d < 4; d++) {
            out.append(d > 0 ? "," : "").append(String.format(Locale.ROOT, "%.4f", random.nextDouble() * 2 - 1));
        }
        return out.append(array ? "}" : "]").toString();
    }
}
