package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mig.mem0.emulation.PyTime;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs shipped pack scripts and reads tables with plain SQL, independently of mig's own code. */
final class PackRun {
    record Result(ScriptRunner.Outcome outcome, String output) {
    }

    private PackRun() {
    }

    static Result run(Path dir, String script, Map<String, String> env) throws Exception {
        String text = Files.readString(Path.of("scripts/mem0", script));
        Map<String, String> all = new HashMap<>(env);
        all.put("MIG_OUT", dir.resolve("out").toString());
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, all, dir, out::add))
                .run(new ScriptSource("scripts/mem0/" + script, text));
        return new Result(outcome, String.join("\n", out));
    }

    /** Runs a script written in the test (for what no shipped script does any more); it must apply. */
    static String inline(Path dir, String text) throws Exception {
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("inline.mig").toString(), text));
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", out));
        return String.join("\n", out);
    }

    static String applied(Path dir, String script, Map<String, String> env) throws Exception {
        Result r = run(dir, script, env);
        assertEquals(ScriptRunner.Outcome.APPLIED, r.outcome(), r.output());
        return r.output();
    }

    static Connection sqlite(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Every row of a table by its first column (text), values as the driver returns them. */
    static Map<String, Map<String, Object>> rows(Connection c, String sql) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof Timestamp) {
                        v = rs.getObject(i, OffsetDateTime.class); // timestamptz: the instant, whatever the session zone
                    }
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), v instanceof Integer x ? (Object) x.longValue() : v);
                }
                out.put(rs.getString(1), row);
            }
        }
        return out;
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void copy(Path from, Path to) throws Exception {
        Files.copy(from, to);
    }

    /**
     * The instant of a value mem0 wrote, parsed here without mig: an INTEGER epoch, ISO text with an
     * offset or Z, or naive text (utcnow()) taken as UTC.
     */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        String s = value.toString();
        if (s.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
        }
        return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
    }

    /** What current mem0 writes for that instant: Python's UTC isoformat(). */
    static String currentSpelling(Object legacy) {
        Instant i = instant(legacy);
        return i == null ? null : PyTime.utc(i);
    }
}
