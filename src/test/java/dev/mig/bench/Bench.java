package dev.mig.bench;

import dev.mig.mem0.LegacyData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmarks of docs/benchmarks.md (run by bench/run): mig against pgloader and against
 * hand-written SQL on generated mem0 data, each case three times, medians reported with rows/s and
 * peak RSS. mig runs as its own process (java -jar target/mig.jar), as a user runs it.
 */
public final class Bench {
    private final int rows;
    private final int repeat;
    private final Path work;
    private final EmbeddedPostgres pg;
    private final List<String> report = new ArrayList<>();
    private int databases;

    private Bench(int rows, int repeat, Path work, EmbeddedPostgres pg) {
        this.rows = rows;
        this.repeat = repeat;
        this.work = work;
        this.pg = pg;
    }

    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 1_000_000);
        int repeat = intArg(args, "--repeat", 3);
        int bigRows = intArg(args, "--big-rows", 5_000_000);
        Path out = Path.of(stringArg(args, "--out", "docs/benchmarks.md"));
        String cases = stringArg(args, "--cases", "ABCD");
        Path work = Path.of("target/bench");
        Files.createDirectories(work);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_wal_size", "4GB")
                .setServerConfig("shared_buffers", "512MB").start()) {
            Bench bench = new Bench(rows, repeat, work, pg);
            bench.header();
            if (cases.contains("A") || cases.contains("C")) {
                bench.caseAandC();
            }
            if (cases.contains("B")) {
                bench.caseB();
            }
            if (cases.contains("D")) {
                bench.caseD(bigRows);
            }
            Files.write(out, bench.report, StandardCharsets.UTF_8);
            System.out.println(String.join("\n", bench.report));
        }
    }

    private void header() throws Exception {
        report.add("<!-- results: written by bench/run -->");
        report.add("Measured " + java.time.LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + (Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "") + "").replaceAll("(\\d+)\\d{6}$", "$1")
                + " GB RAM, " + cpu() + "; PostgreSQL " + pgVersion() + " (embedded), SQLite (xerial), Java "
                + System.getProperty("java.version") + ". " + String.format("%,d", rows) + " rows unless noted; median of "
                + repeat + " runs.");
        report.add("");
        report.add("| case | tool | wall time (median) | rows/s | peak RSS | runs | note |");
        report.add("|---|---|---|---|---|---|---|");
    }

    private static String cpu() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    private String pgVersion() throws Exception {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement();
             var rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String url(String db) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + db + "?user=postgres";
    }

    private String newDatabase() throws Exception {
        String name = "bench" + (++databases);
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    // ---- A: SQLite G0 history -> PostgreSQL G2, mig vs pgloader; C: checksums on the result

    private void caseAandC() throws Exception {
        Path g0 = work.resolve("g0.db");
        Files.deleteIfExists(g0);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + g0)) {
            LegacyData.historyG0(c, rows, 42);
        }
        List<Run> mig = new ArrayList<>();
        List<Run> migParallel = new ArrayList<>();
        List<Run> checksumCross = new ArrayList<>();
        List<Run> checksumSame = new ArrayList<>();
        List<Run> checksumSameParallel = new ArrayList<>();
        List<Run> checksumSameHashes = new ArrayList<>();
        List<Run> loader = new ArrayList<>();
        String lastDb = null;
        for (int i = 0; i < repeat; i++) {
            String db = newDatabase();
            lastDb = db;
            Path script = work.resolve("a.mig");
            String lines = """
                      id             -> id
                      memory_id      -> memory_id
                      prev_value     -> old_memory
                      new_value      -> new_memory
                      upper(event)   -> event
                      utc(timestamp) -> created_at
                      utc(timestamp) -> updated_at
                      is_deleted     -> is_deleted as int default 0
                      null           -> actor_id
                      null           -> role
                    """;
            String table = "(id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT, event TEXT, "
                    + "created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, is_deleted INTEGER, actor_id TEXT, role TEXT)";
            Files.writeString(script, """
                    migration 1.%d 'bench A'
                    connect legacy 'jdbc:sqlite:%s' readonly
                    connect pg '%s'
                    sql pg 'CREATE TABLE history %s'
                    sql pg 'CREATE TABLE history_parallel %s'
                    map legacy.history -> pg.history key id {
                    %s}
                    set parallel 2
                    map legacy.history -> pg.history_parallel key id {
                    %s}
                    set parallel 1
                    checksum legacy.history -> pg.history
                    sql pg 'CREATE TABLE history_copy AS SELECT * FROM history; ALTER TABLE history_copy ADD PRIMARY KEY (id)'
                    checksum pg.history -> pg.history_copy
                    set parallel 2
                    checksum pg.history_copy -> pg.history
                    set parallel 1
                    set pushdown off
                    checksum pg.history -> pg.history_copy allow 1
                    """.formatted(i, g0.toAbsolutePath(), url(db), table, table, lines, lines));
            Process result = mig("1g", script);
            mig.add(result.statement("map legacy.history -> pg.history:"));
            migParallel.add(result.statement("map legacy.history -> pg.history_parallel"));
            checksumCross.add(result.statement("checksum legacy.history -> pg.history"));
            checksumSame.add(result.statement("checksum pg.history -> pg.history_copy"));
            checksumSameParallel.add(result.statement("checksum pg.history_copy -> pg.history"));
            checksumSameHashes.add(result.statement("checksum pg.history -> pg.history_copy allow 1"));
            loader.add(pgloader(g0, newDatabase()));
        }
        row("A. SQLite G0 history -> PostgreSQL G2", "mig (map: COPY + merge)", mig, "full G0 -> G2 mapping: renames, upper(event), "
                + "utc(timestamp) twice, cast; audit and rejects on; one worker");
        row("A. SQLite G0 history -> PostgreSQL G2", "mig, set parallel 2", migParallel, "the same map in two key slices, each "
                + "with its own SQLite reader and PostgreSQL writer");
        row("A. SQLite G0 history -> PostgreSQL G2", "pgloader", loader, loader.get(0).note);
        row("C. checksum legacy -> new (across databases)", "mig", checksumCross, "per-key merge: SQLite rows through the map "
                + "and hashed on a worker pool, PostgreSQL rows hashed in SQL (keys and 8-byte hashes cross the wire)");
        row("C. checksum same PostgreSQL database", "mig (compared in the database)", checksumSame, "a full join on the key "
                + "inside PostgreSQL, value by value; counts and example keys come back, no digests");
        row("C. checksum same PostgreSQL database", "mig, set parallel 2", checksumSameParallel, "the same join in two key "
                + "slices on two connections");
        row("C. checksum same PostgreSQL database", "mig, set pushdown off", checksumSameHashes, "both sides hashed in SQL "
                + "(digests equal across databases), two connections, merged in key order");

    }

    private Run pgloader(Path sqlite, String db) throws Exception {
        if (!onPath("pgloader")) {
            return new Run(-1, -1, "pgloader is not installed (bench/run installs it with apt-get when it can)");
        }
        Path load = work.resolve("a.load");
        Files.writeString(load, """
                LOAD DATABASE
                  FROM sqlite://%s
                  INTO postgresql://postgres@localhost:%d/%s
                WITH include drop, create tables, create indexes, reset sequences, workers = 2, concurrency = 1
                CAST type datetime to timestamptz drop default using zero-dates-to-null
                ;
                """.formatted(sqlite.toAbsolutePath(), pg.getPort(), db));
        long start = System.nanoTime();
        Process p = Process.run(List.of("pgloader", load.toAbsolutePath().toString()), work);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (p.exit != 0) {
            return new Run(-1, -1, "pgloader failed: " + p.lastLines());
        }
        return new Run(millis, p.peakKb, "copies the G0 table as it is: it cannot rename prev_value/new_value, upper-case "
                + "events, or write the timestamp twice as UTC (no expressions per column); no per-key check");
    }

    // ---- B: collection payload normalisation in place, mig vs one hand-written UPDATE

    private void caseB() throws Exception {
        String db = newDatabase();
        try (Connection c = DriverManager.getConnection(url(db))) {
            LegacyData.collection(c, "mem0_template", rows, 7, "real[]", true);
        }
        List<Run> mig = new ArrayList<>();
        List<Run> migParallel = new ArrayList<>();
        List<Run> sql = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            fresh(db);
            Path script = work.resolve("b.mig");
            for (int parallel : new int[] {1, 2}) {
                if (parallel == 2) {
                    fresh(db);
                }
                Files.writeString(script, """
                        migration 2.%d%d 'bench B'
                        connect pg '%s'
                        set parallel %d
                        map pg.mem0 -> pg.mem0 key id {
                          utc(payload.created_at)                               -> payload.created_at
                          utc(coalesce(payload.updated_at, payload.created_at)) -> payload.updated_at
                          md5(payload.data)                                     -> payload.hash
                        } where payload.data is not null
                        """.formatted(i, parallel, url(db), parallel));
                (parallel == 1 ? mig : migParallel).add(mig("1g", script).statement("map"));
            }
            fresh(db);
            long start = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url(db)); Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
                s.executeUpdate(HAND_WRITTEN_B);
            }
            sql.add(new Run((System.nanoTime() - start) / 1_000_000, -1, "one UPDATE statement"));
        }
        row("B. collection payloads in place (PostgreSQL)", "mig (map in place, in the database)", mig,
                "set-based SQL per key range, with guards: rows SQL cannot compute exactly go through mig");
        row("B. collection payloads in place (PostgreSQL)", "mig, set parallel 2", migParallel,
                "the same in two key slices on two connections");
        row("B. collection payloads in place (PostgreSQL)", "hand-written SQL", sql, "one UPDATE, below");
    }

    static final String HAND_WRITTEN_B = """
            UPDATE mem0 SET payload = payload || jsonb_build_object(
              'created_at', to_char(ts(payload->>'created_at') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
              'updated_at', to_char(ts(coalesce(payload->>'updated_at', payload->>'created_at')) AT TIME ZONE 'UTC',
                                    'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
              'hash', md5(payload->>'data'))
            WHERE payload->>'data' IS NOT NULL""";

    private void fresh(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(url(db)); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS mem0");
            s.execute("CREATE TABLE mem0 AS SELECT * FROM mem0_template");
            s.execute("ALTER TABLE mem0 ADD PRIMARY KEY (id)");
            s.execute("CREATE OR REPLACE FUNCTION ts(t text) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ "
                    + "SELECT CASE WHEN t ~ '^[0-9]+(\\.[0-9]+)?$' THEN to_timestamp(t::numeric) ELSE t::timestamptz END $$");
            s.execute("VACUUM ANALYZE mem0");
        }
    }

    // ---- D: 5,000,000 rows under -Xmx256m

    private void caseD(int bigRows) throws Exception {
        Path big = work.resolve("big.db");
        Files.deleteIfExists(big);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + big)) {
            LegacyData.historyG0(c, bigRows, 5);
        }
        Path script = work.resolve("d.mig");
        Files.writeString(script, """
                migration 3 'bench D'
                connect db 'jdbc:sqlite:%s'
                sql db '''CREATE TABLE IF NOT EXISTS history_g2 (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT,
                  new_memory TEXT, event TEXT, created_at DATETIME, updated_at DATETIME, is_deleted INTEGER)'''
                map db.history -> db.history_g2 key id {
                  id             -> id
                  memory_id      -> memory_id
                  prev_value     -> old_memory
                  new_value      -> new_memory
                  upper(event)   -> event
                  utc(timestamp) -> created_at
                  utc(timestamp) -> updated_at
                  is_deleted     -> is_deleted
                }
                assert count(db.history_g2) = count(db.history)
                """.formatted(big.toAbsolutePath()));
        Process result = mig("256m", script);
        Run map = result.statement("map");
        String note = result.exit == 0 ? "succeeded with -Xmx256m; " + String.format("%,d", bigRows) + " rows, count asserted"
                : "FAILED: " + result.lastLines();
        row("D. " + String.format("%,d", bigRows) + " rows SQLite -> SQLite, -Xmx256m", "mig", List.of(map.withPeak(result.peakKb)),
                note, bigRows);
    }

    // ---- running mig and other programs

    private Process mig(String heap, Path script) throws Exception {
        Path db = work.resolve("mig_state");
        Files.createDirectories(db);
        Process p = Process.run(List.of("java", "-Xmx" + heap, "-jar", Path.of("target/mig.jar").toAbsolutePath().toString(),
                "run", script.toAbsolutePath().toString()), work);
        if (p.exit != 0) {
            System.err.println(p.output);
        }
        return p;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** One timed run: milliseconds, peak RSS in KB (-1 unknown), a note. */
    record Run(long millis, long peakKb, String note) {
        Run withPeak(long kb) {
            return new Run(millis, kb, note);
        }
    }

    /** A finished child process: exit code, output, peak RSS from GNU time. */
    static final class Process {
        int exit;
        String output;
        long peakKb = -1;

        static Process run(List<String> command, Path dir) throws Exception {
            List<String> full = new ArrayList<>();
            Path rss = Files.createTempFile("rss", ".txt");
            if (Files.isExecutable(Path.of("/usr/bin/time"))) {
                full.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
            }
            full.addAll(command);
            java.lang.Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
            Process result = new Process();
            result.output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(2, TimeUnit.HOURS);
            result.exit = p.exitValue();
            String kb = Files.readString(rss).trim();
            if (kb.matches("(?s).*\\d+$")) {
                String[] lines = kb.split("\n");
                result.peakKb = Long.parseLong(lines[lines.length - 1].trim());
            }
            Files.deleteIfExists(rss);
            return result;
        }

        /** The duration mig printed for the first statement starting with this text. */
        Run statement(String start) {
            Matcher m = Pattern.compile("line \\d+: " + Pattern.quote(start) + "[^\\n]*\\(([0-9.]+) (m?s)\\)").matcher(output);
            if (!m.find()) {
                System.err.println("no result for '" + start + "' in:\n" + output);
                return new Run(-1, peakKb, "no result: " + lastLines());
            }
            double value = Double.parseDouble(m.group(1));
            return new Run(m.group(2).equals("s") ? (long) (value * 1000) : (long) value, peakKb, "");
        }

        String lastLines() {
            String[] lines = output.strip().split("\n");
            return String.join(" / ", Arrays.asList(lines).subList(Math.max(0, lines.length - 3), lines.length));
        }
    }

    private void row(String name, String tool, List<Run> runs, String note) {
        row(name, tool, runs, note, rows);
    }

    private void row(String name, String tool, List<Run> runs, String note, int count) {
        List<Long> times = runs.stream().map(Run::millis).filter(t -> t >= 0).sorted().toList();
        long peak = runs.stream().mapToLong(Run::peakKb).max().orElse(-1);
        String time = times.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f s", times.get(times.size() / 2) / 1000.0);
        String rate = times.isEmpty() ? "-" : String.format("%,d", count * 1000L / Math.max(1, times.get(times.size() / 2)));
        String all = times.stream().map(t -> String.format(Locale.ROOT, "%.1f", t / 1000.0)).reduce((a, b) -> a + ", " + b).orElse("-");
        String noteText = note.isEmpty() && !runs.isEmpty() ? runs.get(0).note() : note;
        report.add("| " + name + " | " + tool + " | " + time + " | " + rate + " | " + (peak < 0 ? "-" : peak / 1024 + " MB")
                + " | " + all + " | " + noteText + " |");
        System.out.println(report.get(report.size() - 1));
    }

    private static int intArg(String[] args, String name, int fallback) {
        String value = stringArg(args, name, null);
        return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
