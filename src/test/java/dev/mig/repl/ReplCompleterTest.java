package dev.mig.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.LegacyData;
import dev.mig.resolve.RunOptions;
import dev.mig.run.Pg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion candidates for each context, against a real SQLite file and a real PostgreSQL schema. */
class ReplCompleterTest {
    @TempDir
    Path dir;

    private ReplCore repl;

    @BeforeEach
    void open() throws Exception {
        Path lite = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite)) {
            LegacyData.historyG0(c, 50, 1);
        }
        String pg = Pg.newDatabase();
        try (Connection c = Pg.connect(pg)) {
            LegacyData.collection(c, "memories", 50, 2, "real[]", true);
            c.createStatement().execute("CREATE TABLE history_g2 (id TEXT PRIMARY KEY, old_memory TEXT, new_memory TEXT, "
                    + "created_at TIMESTAMPTZ)");
        }
        Files.createDirectories(dir.resolve("backups"));
        Files.writeString(dir.resolve("backups/history.jsonl.gz"), "x");
        repl = new ReplCore(text -> { }, new RunOptions(false, Map.of(), dir, text -> { }));
        repl.accept("connect legacy 'jdbc:sqlite:" + lite + "'");
        repl.accept("connect pg '" + pg + "'");
    }

    @AfterEach
    void close() {
        repl.close();
    }

    private List<String> complete(String text) {
        return repl.completer().complete(text, text.length()).candidates();
    }

    @Test
    void everySettingAfterSet() {
        assertEquals(List.of("audit", "batch", "fetch", "parallel", "pushdown", "reconnect", "rejects", "rows", "state"), complete("set "));
        assertEquals(List.of("reconnect", "rejects", "rows"), complete("set r"));
    }

    @Test
    void statementKeywordsWhereAStatementStarts() {
        assertEquals(List.of("checksum", "connect", "cutover"), complete("c"));
        assertTrue(complete("").containsAll(List.of("map", "backup", ":help", ":describe")));
        assertEquals(List.of("migration"), complete("checksum legacy.history\nmig"));
        assertEquals(List.of(":describe"), complete(":des"));
    }

    @Test
    void connectionNamesTablesAndColumns() {
        assertTrue(complete("inventory ").containsAll(List.of("legacy", "pg")));
        assertEquals(List.of("legacy"), complete("checksum le"));
        assertEquals(List.of("legacy.history"), complete("checksum legacy.hi"));
        assertTrue(complete("diff legacy.history pg.").containsAll(List.of("pg.history_g2", "pg.memories")));
        assertEquals(List.of("pg.memories"), complete("diff legacy.history pg.me"));
        assertEquals(List.of("legacy.history.prev_value"), complete("prune legacy.history.prev"));
        assertTrue(complete("prune pg.memories.").containsAll(List.of("pg.memories.id", "pg.memories.vector", "pg.memories.payload")));
    }

    @Test
    void insideAMapBlockSourceColumnsLeftAndTargetColumnsRight() {
        String open = "map legacy.history -> pg.history_g2 key id {\n  ";
        List<String> left = complete(open + "prev");
        assertEquals(List.of("prev_value"), left);
        assertTrue(complete(open + "u").containsAll(List.of("upper", "utc")), "functions on the source side");
        assertEquals(List.of("old_memory"), complete(open + "prev_value -> ol"));
        assertEquals(List.of("created_at"), complete(open + "utc(timestamp) -> cr"));
        assertFalse(complete(open + "prev_value -> ").contains("prev_value"), "source columns are not targets");
        assertEquals(List.of("prev_value"), complete(open + "id -> id\n  prev"), "a new line starts on the source side");
        assertEquals(List.of("old_memory"), complete(open + "prev_value ->\n    ol"), "a line ending in -> continues");
    }

    @Test
    void jsonKeysSeenInThePayloadAndFilePaths() {
        String open = "map pg.memories -> pg.memories key id {\n  ";
        List<String> keys = complete(open + "payload.");
        assertTrue(keys.containsAll(List.of("payload.data", "payload.user_id", "payload.created_at", "payload.hash", "payload.*")), keys.toString());
        assertEquals(List.of("payload.hash"), complete(open + "md5(payload.data) -> payload.ha"));
        assertTrue(complete("assert none pg.memories.payload.").contains("pg.memories.payload.text_lemmatized"));
        assertEquals(List.of("backups/"), complete("backup legacy.history to 'back"));
        assertEquals(List.of("backups/history.jsonl.gz"), complete("restore legacy.history from 'backups/h"));
        assertEquals("backups/h", repl.completer().complete("restore legacy.history from 'backups/h", 38).word());
    }
}
