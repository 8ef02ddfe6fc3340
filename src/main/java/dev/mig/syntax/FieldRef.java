package dev.mig.syntax;

import java.util.List;

/**
 * {@code conn.table.col[.json.path]}: a table and a path inside its rows. An empty path names
 * the table itself (used by {@code prune}).
 */
public record FieldRef(TableRef table, List<String> path, Span span) {
    public FieldRef {
        path = List.copyOf(path);
    }

    public String column() {
        return path.isEmpty() ? null : path.get(0);
    }

    public List<String> jsonPath() {
        return path.size() <= 1 ? List.of() : path.subList(1, path.size());
    }

    public String source() {
        StringBuilder out = new StringBuilder(table.source());
        for (String part : path) {
            out.append('.').append(Names.quoteIfNeeded(part));
        }
        return out.toString();
    }
}
