package dev.mig.run.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mig.data.Values;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a statement is to delete, as they were when it read them: key values and a hash of the row,
 * one line each in a temporary file (so memory stays flat however many rows a policy removes). The
 * deletes read it back page by page and remove a row only while it still hashes the same.
 */
final class RemovalList implements AutoCloseable {
    /** One row to delete: its key values and the hash of the whole row when it was read. */
    record Entry(List<Object> key, long hash) {
    }

    private final Path file;
    private final BufferedWriter out;
    private long size;

    RemovalList() {
        try {
            file = Files.createTempFile("mig-removal-", ".jsonl");
            file.toFile().deleteOnExit();
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the list of rows to delete", e);
        }
    }

    void add(List<Object> key, long hash) {
        ArrayNode line = Values.JSON.createArrayNode();
        line.add(hash);
        for (Object k : key) {
            line.add(Values.toJson(k));
        }
        try {
            out.write(line.toString());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the list of rows to delete", e);
        }
        size++;
    }

    long size() {
        return size;
    }

    /** Page handler: the entries of one page. */
    interface PageHandler {
        void page(List<Entry> entries) throws SQLException;
    }

    /** Reads the list back in pages of {@code pageSize}. */
    void pages(int pageSize, PageHandler handler) throws SQLException {
        try {
            out.flush();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                List<Entry> page = new ArrayList<>();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode node = Values.JSON.readTree(line);
                    List<Object> key = new ArrayList<>();
                    for (int i = 1; i < node.size(); i++) {
                        key.add(Values.fromJson(node.get(i)));
                    }
                    page.add(new Entry(key, node.get(0).longValue()));
                    if (page.size() == pageSize) {
                        handler.page(page);
                        page = new ArrayList<>();
                    }
                }
                if (!page.isEmpty()) {
                    handler.page(page);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the list of rows to delete", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file; deleteOnExit removes it otherwise
        }
    }
}
