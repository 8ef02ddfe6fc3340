package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One row read from a table: column values by name (exact, else case-insensitive) and their
 * logical types. JSON text in a column is parsed once, when a path first reads into it.
 */
public final class Row {
    private final Map<String, Object> values;
    private final Map<String, LogicalType> types;
    private Map<String, JsonNode> parsed;

    public Row(Map<String, Object> values, Map<String, LogicalType> types) {
        this.values = values;
        this.types = types;
    }

    public static Row of(Map<String, Object> values) {
        return new Row(new LinkedHashMap<>(values), Map.of());
    }

    public Map<String, Object> values() {
        return values;
    }

    public Map<String, LogicalType> types() {
        return types;
    }

    /** The stored column name for a written one, or null when the row has no such column. */
    public String column(String name) {
        if (values.containsKey(name)) {
            return name;
        }
        for (String key : values.keySet()) {
            if (key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return key;
            }
        }
        return null;
    }

    public Object get(String name) {
        Object value = values.get(name); // the common case: the name as stored, one lookup
        if (value != null) {
            return value;
        }
        String column = column(name);
        return column == null ? null : values.get(column);
    }

    public LogicalType type(String name) {
        String column = column(name);
        return column == null ? LogicalType.OTHER : types.getOrDefault(column, LogicalType.OTHER);
    }

    /** The column as JSON for path access: a JSON value as is, JSON text parsed (bad text rejects the row). */
    public JsonNode json(String name) {
        Object value = get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof String text) {
            if (parsed == null) {
                parsed = new HashMap<>();
            }
            JsonNode node = parsed.get(name);
            if (node == null) {
                try {
                    node = Values.parseJson(text);
                } catch (EvalException e) {
                    throw new EvalException("column " + name + ": " + e.getMessage());
                }
                parsed.put(name, node);
            }
            return node;
        }
        throw new EvalException("column " + name + " holds " + Values.describe(value) + ", not JSON");
    }
}
