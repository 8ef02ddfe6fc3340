package dev.mig.db;

import dev.mig.data.LogicalType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A table's columns in order, its primary key, and its unique keys. */
public record TableInfo(String name, List<Column> columns, List<List<String>> uniqueKeys) {
    public TableInfo {
        columns = List.copyOf(columns);
        uniqueKeys = List.copyOf(uniqueKeys);
    }

    public List<String> primaryKey() {
        List<Column> pk = new ArrayList<>(columns.stream().filter(c -> c.pkPosition() > 0).toList());
        pk.sort(Comparator.comparingInt(Column::pkPosition));
        return pk.stream().map(Column::name).toList();
    }

    /** The column of that name (exact, else case-insensitive), or null. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        for (Column c : columns) {
            if (c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public Map<String, LogicalType> types() {
        Map<String, LogicalType> out = new LinkedHashMap<>();
        for (Column c : columns) {
            out.put(c.name(), c.type());
        }
        return out;
    }

    /** True when these columns are the primary key or a unique key (so upsert by them works). */
    public boolean isUnique(List<String> key) {
        if (sameColumns(primaryKey(), key)) {
            return true;
        }
        return uniqueKeys.stream().anyMatch(u -> sameColumns(u, key));
    }

    private static boolean sameColumns(List<String> a, List<String> b) {
        return !a.isEmpty() && a.size() == b.size() && a.stream().allMatch(x -> b.stream().anyMatch(x::equalsIgnoreCase));
    }
}
