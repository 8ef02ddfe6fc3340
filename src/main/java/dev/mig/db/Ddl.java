package dev.mig.db;

import dev.mig.db.internal.Postgres;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** CREATE TABLE for a copy of a table (archive tables, restore of a pruned table), in any dialect. */
public final class Ddl {
    private Ddl() {
    }

    /** Column types are kept within a dialect and translated through the logical type across dialects. */
    public static String createTable(Dialect target, String table, List<Column> columns, String sourceDialect) {
        List<String> parts = new ArrayList<>();
        List<Column> pk = new ArrayList<>(columns.stream().filter(c -> c.pkPosition() > 0).toList());
        pk.sort(Comparator.comparingInt(Column::pkPosition));
        for (Column c : columns) {
            String type = target.name().equals(sourceDialect) && !c.declaredType().isBlank() ? c.declaredType() : typeFor(target, c);
            parts.add(target.quote(c.name()) + " " + type + (c.notNull() && c.pkPosition() == 0 ? " NOT NULL" : ""));
        }
        if (!pk.isEmpty()) {
            parts.add("PRIMARY KEY (" + String.join(", ", pk.stream().map(c -> target.quote(c.name())).toList()) + ")");
        }
        return "CREATE TABLE IF NOT EXISTS " + target.table(table) + " (" + String.join(", ", parts) + ")";
    }

    private static String typeFor(Dialect target, Column c) {
        boolean pg = target instanceof Postgres;
        return switch (c.type()) {
            case TEXT -> "TEXT";
            case INTEGER -> pg ? "BIGINT" : "INTEGER";
            case FLOAT -> pg ? "DOUBLE PRECISION" : "REAL";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> pg ? "TIMESTAMPTZ" : "DATETIME";
            case JSON -> pg ? "JSONB" : "JSON";
            case UUID -> pg ? "UUID" : "TEXT";
            case BINARY -> pg ? "BYTEA" : "BLOB";
            default -> "TEXT";
        };
    }
}
