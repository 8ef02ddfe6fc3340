package dev.mig.repl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.LegacyData;
import dev.mig.resolve.RunOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JLine console on a dumb terminal over byte streams. */
class ConsoleTest {
    @TempDir
    Path dir;

    private String session(String typed) throws Exception {
        return session(typed, "ansi").replaceAll("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[=>]|\r", "");
    }

    private String session(String typed, String type) throws Exception {
        Path lite = dir.resolve("history.db");
        if (!Files.exists(lite)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite)) {
                LegacyData.historyG0(c, 40, 3);
                c.createStatement().execute("CREATE TABLE g2 (id TEXT PRIMARY KEY, old TEXT)");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String input = typed.replace("${DB}", lite.toString());
        try (Terminal terminal = new DumbTerminal("test", type, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                out, StandardCharsets.UTF_8)) {
            terminal.setSize(new Size(160, 50));
            // a tty's line discipline turns Ctrl-C into SIGINT; give the byte-stream terminal the same
            Attributes attributes = terminal.getAttributes();
            attributes.setLocalFlag(Attributes.LocalFlag.ISIG, true);
            attributes.setControlChar(Attributes.ControlChar.VINTR, 3);
            terminal.setAttributes(attributes);
            Console.run(terminal, new RunOptions(false, Map.of(), dir, text -> { }), dir.resolve("hist"), List.of());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pipedInputRunsWithoutPromptsOrEscapeCodes() throws Exception {
        session(":quit\r", "dumb"); // creates the database
        String input = ("connect db 'jdbc:sqlite:${DB}'\nmap db.history -> db.g2 {\n  id -> id\n}\n:list\n")
                .replace("${DB}", dir.resolve("history.db").toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console.runPlain(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), new RunOptions(false, Map.of(), dir, text -> { }),
                List.of());
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("read 40, written 40, rejected 0"), printed);
        assertTrue(printed.contains("   2  map db.history -> db.g2 {"), printed);
        assertFalse(printed.contains("mig>") || printed.contains("\u001b"), printed);
    }

    @Test
    void aDumbTerminalGetsNoEscapeCodes() throws Exception {
        String screen = session("connect db 'jdbc:sqlite:${DB}'\rmap db.history -> db.g2 {\r  id -> id\r}\r:quit\r", "dumb");
        assertTrue(screen.contains("map db.history -> db.g2: read 40, written 40, rejected 0"), screen);
        assertFalse(screen.contains("\u001b"), screen);
    }

    @Test
    void multiLineEntryRunsWhenTheBlockCloses() throws Exception {
        String screen = session("connect db 'jdbc:sqlite:${DB}'\rmap db.history -> db.g2 {\r  id -> id\r  prev_value -> old\r}\r:quit\r");
        assertTrue(screen.contains("...> "), screen);
        assertTrue(screen.contains("map db.history -> db.g2: read 40, written 40, rejected 0"), screen);
        String history = Files.readString(dir.resolve("hist"));
        assertTrue(history.contains("connect db") && history.contains("prev_value -> old"), history);
    }

    @Test
    void tabCompletesTablesAndColumns() throws Exception {
        String screen = session("connect db 'jdbc:sqlite:${DB}'\rchecksum db.hi\t\r:quit\r");
        assertTrue(screen.contains("checksum db.history: 40 rows, digest 40:"), screen);
        String block = session("connect db 'jdbc:sqlite:${DB}'\rmap db.history -> db.g2 {\r  id -> id\r  prev_v\t -> o\t\r}\r:quit\r");
        assertTrue(block.contains("read 40, written 40, rejected 0"), block);
    }

    @Test
    void ctrlCDropsTheStatementBeingTyped() throws Exception {
        String screen = session("connect db 'jdbc:sqlite:${DB}'\rmap db.history -> db.g2 {\r  id -> id\u0003checksum db.history\r:quit\r");
        assertTrue(screen.contains("checksum db.history: 40 rows"), screen);
        assertFalse(screen.contains("read 40, written"), screen);
    }
}
