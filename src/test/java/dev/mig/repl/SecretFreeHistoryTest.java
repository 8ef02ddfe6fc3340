package dev.mig.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFreeHistoryTest {
    @TempDir
    Path dir;

    private static final String CONNECT = "connect pg 'jdbc:postgresql://db.internal/mem0?user=mig&password=hunter2'";

    @Test
    void theHistoryFileKeepsNoPasswordAndOnlyItsOwnerReadsIt() throws Exception {
        Path file = dir.resolve("history");
        Files.writeString(file, "1700000000000:" + CONNECT.replace("hunter2", "olds3cret") + "\n"); // an older version's file
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        SecretFreeHistory.prepare(file);
        try (Terminal terminal = TerminalBuilder.builder().dumb(true).streams(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream()).build()) {
            SecretFreeHistory history = new SecretFreeHistory();
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).history(history)
                    .variable(LineReader.HISTORY_FILE, file).build();
            history.attach(reader);
            history.add(CONNECT);
            history.add("inventory pg");
            history.save();
        }
        String text = Files.readString(file);
        assertFalse(text.contains("hunter2"), text);
        assertFalse(text.contains("olds3cret"), text);
        assertTrue(text.contains("password=***"), text);
        assertTrue(text.contains("inventory pg"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aNewHistoryFileIsCreatedPrivate() throws Exception {
        Path file = dir.resolve("sub/history");
        SecretFreeHistory.prepare(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
