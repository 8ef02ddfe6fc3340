package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passwords never appear in output, log files or audit rows; connection failures are one clear line. */
class SecretsTest {
    private static final String PASSWORD = "Sup3r-S3cret-Pw";

    @TempDir
    Path dir;

    private String url(String password) throws Exception {
        String admin = Pg.newDatabase();
        String db = admin.substring(admin.lastIndexOf('/') + 1, admin.indexOf('?'));
        try (Connection c = Pg.connect(admin); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mig_user') THEN "
                    + "CREATE ROLE mig_user LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
            s.execute("GRANT ALL ON SCHEMA public TO mig_user");
            s.execute("ALTER DATABASE " + db + " OWNER TO mig_user");
        }
        return "jdbc:postgresql://localhost:" + Pg.server().getPort() + "/" + db + "?user=mig_user&password=" + password;
    }

    private List<String> run(String script, Map<String, String> env, ScriptRunner.Outcome expected) throws Exception {
        List<String> out = new ArrayList<>();
        Path file = dir.resolve("secret.mig");
        Files.writeString(file, script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, env, dir, out::add))
                .run(new ScriptSource(file.toString(), script));
        assertEquals(expected, outcome, String.join("\n", out));
        return out;
    }

    @Test
    void passwordsStayOutOfOutputAuditFileAndAuditTable() throws Exception {
        String literal = url(PASSWORD);
        String script = """
                migration 1 'secrets'
                connect a '%s'
                connect b '%s'
                sql a 'CREATE TABLE t (id INT PRIMARY KEY, v TEXT)'
                sql a 'INSERT INTO t VALUES (1, ''x''), (2, ''2'')'
                sql a 'CREATE TABLE u (id INT PRIMARY KEY, v INT)'
                inventory a
                checksum a.t
                freeze a.t
                backup a.t to 'bk/t.jsonl.gz'
                map a.t -> a.u key id {
                  id -> id
                  v  -> v as int
                }
                replay a.t -> a.u
                checksum a.t -> a.u allow 1
                sample 2 a.t -> a.u seed 1 to 'sample.md'
                diff a.t a.u to 'diff.md'
                unfreeze a.t
                archive a.t to 'arc/t.jsonl.gz'
                """.formatted(literal, literal.replace(PASSWORD, "${PGPASS}"));
        List<String> out = run(script, Map.of("PGPASS", PASSWORD), ScriptRunner.Outcome.APPLIED);
        String printed = String.join("\n", out);
        assertTrue(printed.contains("password=***"), printed);
        assertFalse(printed.contains(PASSWORD), printed);
        List<String> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("secret.mig")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                if (f.toString().endsWith(".gz")) {
                    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                        bytes = in.readAllBytes();
                    }
                }
                assertFalse(new String(bytes, StandardCharsets.UTF_8).contains(PASSWORD), "password in " + f);
                written.add(dir.relativize(f).toString());
            }
        }
        // every kind of file a script writes was looked at: audit, rejects, backup and its manifest, sample, diff, archive
        for (String kind : List.of("secret.audit.jsonl", "secret.rejects.jsonl", "bk/t.jsonl.gz", "bk/t.jsonl.gz.manifest.json",
                "sample.md", "diff.md", "arc/t.jsonl.gz")) {
            assertTrue(written.contains(kind), kind + " not among " + written);
        }
        try (Connection c = Pg.connect(literal); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT string_agg(t::text, '|') FROM (SELECT h::text AS t FROM mig_history h UNION ALL SELECT b::text FROM mig_backups b "
                + "UNION ALL SELECT m::text FROM mig_maps m UNION ALL SELECT q::text FROM mig_queue q) x")) {
            rs.next();
            assertFalse(String.valueOf(rs.getString(1)).contains(PASSWORD), "password in a mig_* table");
        }
        try (Connection c = Pg.connect(literal); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(coalesce(statement, '') || coalesce(message, ''), '|') FROM mig_audit")) {
            rs.next();
            String audit = rs.getString(1);
            assertTrue(audit.contains("password=***"), audit);
            assertFalse(audit.contains(PASSWORD), audit);
        }
    }

    @Test
    void aWrongPasswordIsOneLineWithoutThePassword() throws Exception {
        String wrong = url(PASSWORD).replace(PASSWORD, "wrong-" + PASSWORD);
        List<String> out = run("migration 1 'x'\nconnect a '" + wrong + "'\ninventory a\n", Map.of(), ScriptRunner.Outcome.FAILED);
        String printed = String.join("\n", out);
        assertTrue(printed.contains("secret.mig:2:1: error: cannot connect 'a' ("), printed);
        assertTrue(printed.contains("password authentication failed for user \"mig_user\""), printed);
        assertFalse(printed.contains(PASSWORD), printed);
        assertFalse(printed.contains("Exception") || printed.contains("\tat "), printed);
    }

    @Test
    void aRefusedConnectionIsOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/x?user=u&password=" + PASSWORD;
        List<String> out = run("migration 1 'x'\nconnect a '" + url + "'\ninventory a\n", Map.of(), ScriptRunner.Outcome.FAILED);
        String printed = String.join("\n", out);
        assertTrue(printed.contains("error: cannot connect 'a' (jdbc:postgresql://127.0.0.1:" + port + "/x?user=u&password=***)"),
                printed);
        assertFalse(printed.contains(PASSWORD), printed);
        assertTrue(printed.lines().filter(l -> l.contains("error:")).count() == 1, printed);
    }

    @Test
    void aMissingReadonlySqliteFileIsNotCreated() throws Exception {
        Path missing = dir.resolve("nope.db");
        List<String> out = run("migration 1 'x'\nconnect a 'jdbc:sqlite:" + missing + "' readonly\ninventory a\n", Map.of(),
                ScriptRunner.Outcome.FAILED);
        assertTrue(String.join("\n", out).contains("no SQLite database at " + missing), String.join("\n", out));
        assertFalse(Files.exists(missing));
    }

    /**
     * MIG_DEBUG's traces (of a statement run again because the database was busy, and of the failed run)
     * mask the connection's password wherever a driver message carries it: in a URL, and bare. Here a
     * function of the database raises lock_not_available with text that holds both.
     */
    @Test
    void debugTracesNeverShowAPassword() throws Exception {
        String literal = url(PASSWORD);
        String script = """
                migration 1 'busy'
                connect a '${A_URL}'
                sql a 'CREATE TABLE t (id INT PRIMARY KEY, v TEXT)'
                sql a 'DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = ''55P03'', MESSAGE = ''locked by a session of ${A_URL} (${A_PASSWORD})''; END $$'
                """;
        List<String> out = run(script, Map.of("A_URL", literal, "A_PASSWORD", PASSWORD, "MIG_DEBUG", "1"), ScriptRunner.Outcome.FAILED);
        String all = String.join("\n", out);
        assertTrue(all.contains("the database was busy") && all.contains("running the statement again (5 of 5)"), all);
        assertTrue(all.contains("Caused by: org.postgresql.util.PSQLException: ERROR: locked by a session of"), "the traces: " + all);
        assertFalse(all.contains(PASSWORD), all);
    }
}
