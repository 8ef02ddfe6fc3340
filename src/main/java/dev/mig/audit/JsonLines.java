package dev.mig.audit;

import dev.mig.MigException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An append-only JSON-lines file, opened on the first line and flushed after each. */
public final class JsonLines implements AutoCloseable {
    private final Path path;
    private final String what;
    private BufferedWriter writer;

    public JsonLines(Path path, String what) {
        this.path = path;
        this.what = what;
    }

    public Path path() {
        return path;
    }

    public synchronized void append(String json) {
        try {
            if (writer == null) {
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            writer.write(json);
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new MigException("cannot write the " + what + " " + path + ": " + e.getMessage(), e);
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
        writer = null;
    }
}
