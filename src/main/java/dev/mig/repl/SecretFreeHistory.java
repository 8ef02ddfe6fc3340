package dev.mig.repl;

import dev.mig.db.JdbcUrls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The REPL's history with every password masked as in the rest of mig's output (a connect line keeps
 * its URL, {@code password=***}), in a file only its owner can read (0600). A history file left by an
 * earlier version is masked and tightened when the REPL opens it.
 */
public final class SecretFreeHistory extends DefaultHistory {
    @Override
    public void add(Instant time, String line) {
        super.add(time, JdbcUrls.redactText(line));
    }

    /** Masks secrets already in {@code file} and makes it readable by its owner only (creating it if missing). */
    public static void prepare(Path file) throws IOException {
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> masked = lines.stream().map(JdbcUrls::redactText).toList();
            if (!masked.equals(lines)) {
                Files.write(file, masked, StandardCharsets.UTF_8);
            }
        } else {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file);
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: its own access rules apply
        }
    }
}
