package dev.mig.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * bench/vectors: the TypeScript SDK's local store (vector_store.db: float32 blobs, JSON payload text) moved
 * into a pgvector table by mig, against two anchors measured in the same run on the same server: PostgreSQL's
 * own COPY of the same vectors (psql \copy of pgvector text: the floor) and the SDK's own insert loop
 * (mem0ai's PGVector.insert, one memory at a time, on a sample, extrapolated). Whole processes, interleaved
 * rounds, medians. Writes target/bench/vectors.md.
 */
public final class VectorBench {
    private VectorBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        int dims = 1536;
        int sample = 2000;
        int repeat = 3;
        boolean cold = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--cold")) {
                cold = true; // every run starts with no file in the page cache (as when the store outgrows the memory)
                i--;
                continue;
            }
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--dims" -> dims = Integer.parseInt(args[i + 1]);
                case "--sample" -> sample = Integer.parseInt(args[i + 1]);
                case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String stock = System.getenv("MIG_BENCH_PG");
        int port = Integer.parseInt(stock.substring(0, stock.indexOf(':')));
        String password = stock.substring(stock.indexOf(':') + 1);
        Path work = Path.of("target/bench/vectors").toAbsolutePath();
        Files.createDirectories(work);
        String admin = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password=" + password;
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS vbench");
            s.execute("CREATE DATABASE vbench");
        }
        String url = "jdbc:postgresql://localhost:" + port + "/vbench?user=postgres&password=" + password;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION vector");
        }
        Path store = work.resolve("vector_store_" + rows + "x" + dims + ".db");
        Path copyFile = work.resolve("copy_" + rows + "x" + dims + ".txt");
        long t0 = System.nanoTime();
        if (!Files.exists(store) || !Files.exists(copyFile)) {
            generate(store, copyFile, rows, dims);
        }
        System.err.printf("vectors: %d x %d in %s (%.0f MB), COPY text %.0f MB, made in %.0f s%n", rows, dims, store,
                Files.size(store) / 1e6, Files.size(copyFile) / 1e6, (System.nanoTime() - t0) / 1e9);

        Path script = work.resolve("move.mig");
        Files.writeString(script, "connect local 'jdbc:sqlite:" + store + "' readonly\n"
                + "connect pg '" + url.replace("password=" + password, "password=${MIG_BENCH_PASSWORD}") + "'\n"
                + "map local.vectors -> pg.memories key id {\n" // the map of 015
                + "  id -> id as uuid\n"
                + "  vector(vector) -> vector\n"
                + "  json(payload) -> payload\n"
                + "  coalesce(payload.user_id, payload.userId) -> payload.user_id\n"
                + "  coalesce(payload.agent_id, payload.agentId) -> payload.agent_id\n"
                + "  coalesce(payload.run_id, payload.runId) -> payload.run_id\n"
                + "  null -> payload.userId\n"
                + "  null -> payload.agentId\n"
                + "  null -> payload.runId\n"
                + "}\n");
        // the binary floor: the same rows in COPY's binary format, as PostgreSQL itself writes them
        Path binaryFile = work.resolve("copy_" + rows + "x" + dims + ".bin");
        if (!Files.exists(binaryFile)) {
            recreate(url, dims);
            check(psql(port, password, work, "\\copy memories FROM '" + copyFile + "'"), "psql \\copy");
            check(psql(port, password, work, "\\copy memories TO '" + binaryFile + "' (FORMAT binary)"), "psql \\copy TO");
        }
        List<Double> floor = new ArrayList<>();
        List<Double> binaryFloor = new ArrayList<>();
        List<Double> mig = new ArrayList<>();
        List<Long> migPeakMb = new ArrayList<>();
        List<Double> sdkRounds = new ArrayList<>();
        for (int round = 0; round < repeat; round++) {
            for (int k = 0; k < 3; k++) {
                int which = (k + round) % 3; // the order rotates from round to round
                recreate(url, dims);
                if (cold) {
                    dropPageCache();
                }
                if (which == 0 || which == 1) {
                    Child c = which == 0 ? psql(port, password, work, "\\copy memories FROM '" + copyFile + "'")
                            : psql(port, password, work, "\\copy memories FROM '" + binaryFile + "' (FORMAT binary)");
                    check(c, "psql \\copy");
                    (which == 0 ? floor : binaryFloor).add(c.millis / 1000.0);
                    System.err.printf("round %d: COPY %s %.1f s%n", round + 1, which == 0 ? "text" : "binary", c.millis / 1000.0);
                } else {
                    // as a user runs it: the launcher, its JVM options, nothing set
                    ProcessBuilder pb = new ProcessBuilder(Path.of("mig").toAbsolutePath().toString(), "run", script.toString());
                    pb.environment().put("MIG_BENCH_PASSWORD", password);
                    Child c = Child.run(pb, work);
                    check(c, "mig run");
                    mig.add(c.millis / 1000.0);
                    migPeakMb.add(c.peakKb / 1024);
                    System.err.printf("round %d: mig %.1f s, peak RSS %d MB%n", round + 1, c.millis / 1000.0, c.peakKb / 1024);
                }
                try (Connection conn = DriverManager.getConnection(url); Statement s = conn.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM memories")) {
                    rs.next();
                    if (rs.getLong(1) != rows) {
                        throw new IllegalStateException("memories holds " + rs.getLong(1) + " rows, not " + rows);
                    }
                }
            }
            // the SDK's own loop on a sample, every round (its table keeps the rows of earlier rounds)
            double ms = sdkLoop(port, password, dims, sample, round);
            sdkRounds.add(Math.round(ms / 100) / 10.0);
            System.err.printf("round %d: SDK loop %,d in %.1f s%n", round + 1, sample, ms / 1000);
        }
        double sdkSample = median(sdkRounds);
        double sdkSeconds = sdkSample * rows / sample;

        double floorMedian = median(floor);
        double binaryMedian = median(binaryFloor);
        double migMedian = median(mig);
        String load = String.format(Locale.ROOT, "%.2f", Files.exists(Path.of("/proc/loadavg")) ? Double.parseDouble(
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]) : -1);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "| %,d vectors of %d dims (TS local store -> pgvector) | seconds (median of %d) | vs COPY |%n",
                rows, dims, repeat));
        md.append("|---|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| PostgreSQL's own COPY of the same vectors, binary format (psql \\copy ... (FORMAT binary)): "
                + "the floor | %.1f | 1.00x |%n", binaryMedian));
        md.append(String.format(Locale.ROOT, "| PostgreSQL's own COPY of the same vectors, text format (pgvector text, as a dump has them) | %.1f | "
                + "%.2fx |%n", floorMedian, floorMedian / binaryMedian));
        md.append(String.format(Locale.ROOT, "| ./mig run (the map of 015: float32 blobs read in rowid order, vectors and JSONB written with binary COPY), peak RSS %d MB "
                + "| %.1f | %.2fx |%n", Collections.max(migPeakMb), migMedian, migMedian / binaryMedian));
        md.append(String.format(Locale.ROOT, "| the SDK's insert loop (mem0ai 3.3.1 PGVector.insert, one at a time; %,d measured in %.1f s (median), "
                + "extrapolated; rounds %s s) | %.0f | %.1fx |%n", sample, sdkSample, sdkRounds, sdkSeconds, sdkSeconds / binaryMedian));
        md.append(String.format(Locale.ROOT, "%nmig is %.1fx faster than the SDK loop. Rounds: binary COPY %s s, text COPY %s s, mig %s s "
                + "(interleaved, the order rotating%s); load average at the end %s.%n", sdkSeconds / migMedian, binaryFloor, floor, mig,
                cold ? "; the page cache emptied before each run" : "", load));
        Files.writeString(Path.of("target/bench/vectors.md"), md.toString());
        System.out.print(md);
    }

    /** Milliseconds of mem0ai's PGVector.insert loop for {@code sample} memories, into the table sdkloop. */
    private static double sdkLoop(int port, String password, int dims, int sample, int round) throws Exception {
        Path node = Path.of(System.getenv().getOrDefault("MIG_REAL_CLIENTS_DIR", "src/test/node")).toAbsolutePath();
        String sdkArgs = String.format(Locale.ROOT, "{\"pg\":{\"dbname\":\"vbench\",\"user\":\"postgres\",\"password\":\"%s\",\"host\":\"localhost\","
                + "\"port\":%d},\"collection\":\"sdkloop\",\"dims\":%d,\"count\":%d,\"seed\":%d}", password, port, dims, sample, 7 + round);
        Process p = new ProcessBuilder("node", node.resolve("pgvector-insert.cjs").toString(), sdkArgs).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the SDK loop failed: " + out);
        }
        return new ObjectMapper().readTree(out).get("ms").asDouble();
    }

    private static Child psql(int port, String password, Path work, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-q", "-h", "localhost", "-p", String.valueOf(port), "-U", "postgres", "-d", "vbench",
                "-c", command);
        pb.environment().put("PGPASSWORD", password);
        return Child.run(pb, work);
    }

    private static void check(Child c, String what) {
        if (c.exit != 0) {
            throw new IllegalStateException(what + " failed (exit " + c.exit + "): " + c.output);
        }
    }

    /** Empties Linux's page cache (root only): the store, the COPY files and PostgreSQL's files are read from disk again. */
    private static void dropPageCache() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sync && echo 3 > /proc/sys/vm/drop_caches").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("--cold needs root (it writes /proc/sys/vm/drop_caches)");
        }
    }

    private static void recreate(String url, int dims) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS memories");
            s.execute("CREATE TABLE memories (id uuid PRIMARY KEY, vector vector(" + dims + "), payload jsonb)");
            s.execute("CHECKPOINT"); // each run starts from the same clean state
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The local store as the SDK writes it, and the same rows as COPY text for the floor. */
    private static void generate(Path store, Path copyFile, int rows, int dims) throws Exception {
        Files.deleteIfExists(store);
        Random random = new Random(42);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store); Statement s = c.createStatement();
             BufferedWriter copy = Files.newBufferedWriter(copyFile, StandardCharsets.UTF_8)) {
            s.execute("PRAGMA journal_mode = OFF");
            s.execute("PRAGMA synchronous = OFF");
            s.execute("CREATE TABLE vectors (id TEXT PRIMARY KEY, vector BLOB NOT NULL, payload TEXT NOT NULL)");
            s.execute("CREATE TABLE memory_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL UNIQUE)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vectors VALUES (?, ?, ?)")) {
                ByteBuffer buf = ByteBuffer.allocate(dims * 4).order(ByteOrder.LITTLE_ENDIAN);
                StringBuilder text = new StringBuilder(dims * 12);
                for (int i = 0; i < rows; i++) {
                    String id = new UUID(random.nextLong(), random.nextLong()).toString();
                    buf.clear();
                    text.setLength(0);
                    text.append('[');
                    for (int d = 0; d < dims; d++) {
                        float f = random.nextFloat() - 0.5f;
                        buf.putFloat(f);
                        if (d > 0) {
                            text.append(',');
                        }
                        text.append(Float.toString(f));
                    }
                    text.append(']');
                    String payload = "{\"data\":\"memory " + i + "\",\"user_id\":\"u" + (i % 100) + "\",\"hash\":\"h" + i
                            + "\",\"createdAt\":\"2025-03-01T10:00:00.000Z\"}";
                    ps.setString(1, id);
                    ps.setBytes(2, buf.array());
                    ps.setString(3, payload);
                    ps.addBatch();
                    copy.write(id);
                    copy.write('\t');
                    copy.append(text);
                    copy.write('\t');
                    copy.write(payload.replace("\\", "\\\\"));
                    copy.write('\n');
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
        }
    }
}
