package dev.mig.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.MigException;
import dev.mig.data.Values;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Rows a statement could not move, one JSON object a line: where, which key, why, and the whole
 * source row, so nothing is lost and every row can be fixed and moved later.
 */
public final class RejectsFile implements AutoCloseable {
    private final Path path;
    private final String script;
    private BufferedWriter writer;
    private long count;

    public RejectsFile(Path path, String script) {
        this.path = path;
        this.script = script;
    }

    public Path path() {
        return path;
    }

    public long count() {
        return count;
    }

    public void write(int line, String statement, String table, Map<String, Object> key, String reason,
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
        try {
            if (writer == null) {
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            writer.write(node.toString());
            writer.write('\n');
            writer.flush();
            count++;
        } catch (IOException e) {
            throw new MigException("cannot write the rejects file " + path + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException ignored) {
            // nothing more to write
        }
    }
}
