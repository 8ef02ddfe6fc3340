package dev.mig.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.data.Values;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rows a statement could not move, one JSON object a line: where, which key, why, and the whole
 * source row, so nothing is lost and every row can be fixed and moved later.
 */
public final class RejectsFile implements AutoCloseable {
    private final JsonLines lines;
    private final String script;
    private long count;

    public RejectsFile(Path path, String script) {
        this.lines = new JsonLines(path, "rejects file");
        this.script = script;
    }

    public Path path() {
        return lines.path();
    }

    public synchronized long count() {
        return count;
    }

    public synchronized void write(int line, String statement, String table, Map<String, Object> key, String reason,
                      Map<String, Object> row) {
        ObjectNode node = Values.JSON.createObjectNode();
        node.put("script", script);
        node.put("line", line);
        node.put("statement", statement);
        node.put("table", table);
        ObjectNode keyNode = node.putObject("key");
        key.forEach((k, v) -> keyNode.set(k, Values.toJson(v)));
        node.put("reason", reason);
        ObjectNode rowNode = node.putObject("row");
        row.forEach((k, v) -> rowNode.set(k, Values.toJson(v)));
        lines.append(node.toString());
        count++;
    }

    @Override
    public synchronized void close() {
        lines.close();
    }
}
