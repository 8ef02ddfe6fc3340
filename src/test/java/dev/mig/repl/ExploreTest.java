package dev.mig.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.emulation.Stores;
import dev.mig.resolve.RunOptions;
import dev.mig.run.Pg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exploring a live store through the REPL's IO seam: the data is shown, and looking leaves no trace. */
class ExploreTest {
    @TempDir
    Path dir;

    private final List<String> out = new ArrayList<>();

    private ReplCore repl(Map<String, String> env) {
        return new ReplCore(out::add, new RunOptions(false, env, dir.resolve("cwd"), out::add));
    }

    private String type(ReplCore repl, String... lines) {
        out.clear();
        for (String line : lines) {
            repl.accept(line);
        }
        return String.join("\n", out);
    }

    private static String sqliteFingerprint(Path file) throws Exception {
        return DigestUtils.sha256Hex(Files.readAllBytes(file));
    }

    private static String pgFingerprint(String url) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT table_schema || '.' || table_name || ':' || column_name || ':' || data_type "
                    + "FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(length(payload::text)) FROM mem0")) {
                rs.next();
                out.append(rs.getLong(1)).append('/').append(rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")) {
                rs.next();
                out.append(" triggers ").append(rs.getLong(1));
            }
        }
        return out.toString();
    }

    @Test
    void aLookOnlySessionShowsRowsAndLeavesNoTrace() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Stores.g1(c, 600, 3);
        }
        String pg = Pg.newDatabase();
        try (Connection h = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("h2.db")); Connection c = Pg.connect(pg)) {
            Stores.g2(h, 300, 4).store().writeCollection(c, "mem0", true, "real[]", 1);
        }
        Files.createDirectories(dir.resolve("cwd"));
        String sqliteBefore = sqliteFingerprint(db);
        String pgBefore = pgFingerprint(pg);

        ReplCore repl = repl(Map.of("HOME", dir.resolve("home").toString()));
        type(repl, "connect l 'jdbc:sqlite:" + db + "'");
        String tables = type(repl, ":tables");
        assertTrue(tables.contains("history"), tables);
        String described = type(repl, ":describe history");
        assertTrue(described.contains("old_memory"), described);
        String rows = type(repl, "sql l 'select upper(event) as event, count(*) as n from history group by 1 order by 1'");
        assertTrue(rows.contains("event") && rows.contains("ADD") && rows.contains("(3 rows)"), rows);
        assertTrue(rows.matches("(?s).*\\n  -{3,}\\n.*"), rows);
        String one = type(repl, "sample 3 l.history where event = 'ADD' seed 7");
        String again = type(repl, "sample 3 l.history where event = 'ADD' seed 7");
        assertTrue(one.contains("3 of ") && one.contains("seed 7"), one);
        assertEquals(one.replaceAll("\\(\\d+ ms\\)", ""), again.replaceAll("\\(\\d+ ms\\)", ""), "the same seed, the same rows");
        type(repl, "set rows 2");
        String capped = type(repl, "sql l 'select id, new_memory from history order by id'");
        assertTrue(capped.contains("2 of 600 rows shown; ... and 598 more"), capped);
        type(repl, ":expanded on");
        String expanded = type(repl, "sql l 'select id, event from history order by id limit 1'");
        assertTrue(expanded.contains("-[ row 1 ]") && expanded.contains("event | "), expanded);
        type(repl, ":expanded off", "inventory l", "checksum l.history");
        type(repl, "connect p '" + pg + "'", "inventory p", "checksum p.mem0", "sample 2 p.mem0 where payload.user_id is not null seed 1",
                "sql p 'select count(*) from mem0'");
        String nulls = type(repl, "sql p 'select null::text as nothing, ''{\"a\":  1}''::jsonb as j'");
        assertTrue(nulls.contains("(null)") && nulls.contains("{\"a\":1}"), nulls);
        repl.close();

        assertEquals(sqliteBefore, sqliteFingerprint(db), "the SQLite file is byte for byte as it was");
        assertEquals(pgBefore, pgFingerprint(pg), "the PostgreSQL schema and rows are as they were");
        try (Connection c = Pg.connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'mig\\_%'")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no mig_* table");
        }
        try (Stream<Path> files = Files.list(dir.resolve("cwd"))) {
            assertEquals(List.of(), files.toList(), "nothing in the directory the REPL started in");
        }
        try (Stream<Path> files = Files.list(dir.resolve("home/.mig"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".audit.jsonl")), "the audit is in ~/.mig");
        }
    }

    @Test
    void aStatementThatWritesIsAuditedInItsDatabase() throws Exception {
        Path db = dir.resolve("w.db");
        ReplCore repl = repl(Map.of("HOME", dir.resolve("home").toString()));
        type(repl, "connect w 'jdbc:sqlite:" + db + "'", "sql w 'CREATE TABLE t (id INTEGER PRIMARY KEY)'");
        repl.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM mig_audit")) {
            rs.next();
            assertEquals(1, rs.getLong(1));
        }
    }

    @Test
    void editRunsWhatTheEditorSaved() throws Exception {
        Path db = dir.resolve("e.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Stores.g1(c, 50, 9);
        }
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/limit 1/limit 2/' \"$1\"\n");
        editor.toFile().setExecutable(true);
        ReplCore repl = repl(Map.of("HOME", dir.resolve("home").toString(), "EDITOR", editor.toString()));
        type(repl, "connect e 'jdbc:sqlite:" + db + "'", "sql e 'select id from history order by id limit 1'");
        String edited = type(repl, ":edit");
        assertTrue(edited.contains("(2 rows)"), edited);
        assertTrue(type(repl, ":list").contains("limit 2"));
        Path failing = dir.resolve("fail.sh");
        Files.writeString(failing, "#!/bin/sh\nexit 3\n");
        failing.toFile().setExecutable(true);
        ReplCore other = repl(Map.of("HOME", dir.resolve("home").toString(), "EDITOR", failing.toString()));
        assertTrue(type(other, ":edit").contains("exited with an error; nothing was run"));
        repl.close();
        other.close();
    }

    @Test
    void tablesWithoutAConnectionSaysWhatToDo() {
        ReplCore repl = repl(Map.of("HOME", dir.resolve("home").toString()));
        assertTrue(type(repl, ":tables").contains("no connection yet"));
    }
}
