package dev.mig.run.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows a statement shows (sql queries, a sample of one table), as psql would: an aligned table with the
 * column names, NULL as {@code (null)}, JSON compact, long values cut with {@code …}; or one block per
 * row in expanded mode ({@code :expanded on}, psql's {@code \x}). At most {@code set rows N} rows.
 */
public final class RowTable {
    /** Longest value shown in a cell. */
    static final int WIDTH = 60;

    private RowTable() {
    }

    public static List<String> lines(List<String> columns, List<List<Object>> rows, long total, boolean expanded) {
        List<String> out = new ArrayList<>();
        if (expanded) {
            int width = columns.stream().mapToInt(String::length).max().orElse(0);
            for (int r = 0; r < rows.size(); r++) {
                out.add("  -[ row " + (r + 1) + " ]" + "-".repeat(Math.max(3, width - 6)));
                for (int c = 0; c < columns.size(); c++) {
                    out.add("  " + columns.get(c) + " ".repeat(width - columns.get(c).length()) + " | " + cell(rows.get(r).get(c)));
                }
            }
        } else {
            TextTable table = new TextTable(columns.toArray(String[]::new));
            for (List<Object> row : rows) {
                table.row(row.stream().map(RowTable::cell).toArray(String[]::new));
            }
            List<String> lines = table.lines("  ");
            out.add(lines.get(0));
            out.add("  " + "-".repeat(Math.max(3, lines.stream().mapToInt(String::length).max().orElse(5) - 2)));
            out.addAll(lines.subList(1, lines.size()));
        }
        out.add("  (" + (total > rows.size() ? rows.size() + " of " + total + " rows shown; ... and " + (total - rows.size())
                + " more (set rows N shows more)" : total + (total == 1 ? " row" : " rows")) + ")");
        return out;
    }

    /** A value as a cell: (null), compact JSON, one line, cut at WIDTH characters. */
    static String cell(Object value) {
        if (value == null) {
            return "(null)";
        }
        String text = value instanceof JsonNode n ? n.toString() : String.valueOf(value);
        String trimmed = text.strip();
        if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
            try {
                text = Values.parseJson(trimmed).toString(); // compact
            } catch (RuntimeException notJson) {
                // shown as it is
            }
        }
        text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        return text.length() > WIDTH ? text.substring(0, WIDTH - 1) + "…" : text;
    }
}
