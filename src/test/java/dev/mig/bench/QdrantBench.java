package dev.mig.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * bench/qdrant: N points of D dims (default 1,000,000 x 1,536) in a local Qdrant store moved into pgvector by
 * 022's map, against PostgreSQL's own binary COPY of the same rows (the floor), on Debian's stock PostgreSQL 15.
 * Whole processes, interleaved rounds (the order alternating), medians, peak RSS. Before anything is timed the
 * generator's output is read back by the real qdrant-client on a sample store made by the same code.
 * Writes target/bench/qdrant.md.
 */
public final class QdrantBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QdrantBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        int dims = 1536;
        int repeat = 3;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--dims" -> dims = Integer.parseInt(args[i + 1]);
                case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String stock = System.getenv("MIG_BENCH_PG");
        int port = Integer.parseInt(stock.substring(0, stock.indexOf(':')));
        String password = stock.substring(stock.indexOf(':') + 1);
        Path work = Path.of("target/bench/qdrant").toAbsolutePath();
        Files.createDirectories(work);
        verify(work.resolve("sample"), dims);

        Path store = work.resolve("store_" + rows + "x" + dims);
        long t0 = System.nanoTime();
        if (!Files.exists(store.resolve("collection/mem0/storage.sqlite"))) {
            QdrantStores.write(store, rows, dims, 42);
        }
        System.err.printf("store: %,d x %d in %s (%.0f MB), made in %.0f s%n", rows, dims, store,
                Files.size(store.resolve("collection/mem0/storage.sqlite")) / 1e6, (System.nanoTime() - t0) / 1e9);
        String admin = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password=" + password;
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS qbench");
            s.execute("CREATE DATABASE qbench");
        }
        String url = "jdbc:postgresql://localhost:" + port + "/qbench?user=postgres&password=" + password;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION vector");
        }
        Path script = work.resolve("move.mig");
        Files.writeString(script, "connect qdrant 'jdbc:sqlite:" + store + "/collection/mem0/storage.sqlite' readonly\n"
                + "connect pg '" + url.replace("password=" + password, "password=${MIG_BENCH_PASSWORD}") + "'\n"
                + "map qdrant.points -> pg.mem0 key id {\n" // the map of 022
                + "  unpickle(id) -> id as uuid\n"
                + "  vector(unpickle(point, 'vector'), '" + dims + "') -> vector\n"
                + "  unpickle(point, 'payload') -> payload\n"
                + "}\n");
        Path binary = work.resolve("copy_" + rows + "x" + dims + ".bin");
        List<Double> floor = new ArrayList<>();
        List<Double> mig = new ArrayList<>();
        List<Long> peak = new ArrayList<>();
        for (int round = 0; round < repeat; round++) {
            for (int k = 0; k < 2; k++) {
                boolean migFirst = round % 2 == 0;
                boolean runMig = (k == 0) == migFirst || !Files.exists(binary);
                recreate(url, dims);
                Child c;
                if (runMig) {
                    ProcessBuilder pb = new ProcessBuilder(Path.of("mig").toAbsolutePath().toString(), "run", script.toString());
                    pb.environment().put("MIG_BENCH_PASSWORD", password);
                    c = Child.run(pb, work);
                    check(c, "mig run");
                    mig.add(c.millis / 1000.0);
                    peak.add(c.peakKb / 1024);
                    System.err.printf("round %d: mig %.1f s, peak RSS %d MB%n", round + 1, c.millis / 1000.0, c.peakKb / 1024);
                    if (!Files.exists(binary)) {
                        check(psql(port, password, work, "\\copy mem0 TO '" + binary + "' (FORMAT binary)"), "psql \\copy TO");
                    }
                } else {
                    c = psql(port, password, work, "\\copy mem0 FROM '" + binary + "' (FORMAT binary)");
                    check(c, "psql \\copy");
                    floor.add(c.millis / 1000.0);
                    System.err.printf("round %d: binary COPY %.1f s%n", round + 1, c.millis / 1000.0);
                }
                try (Connection conn = DriverManager.getConnection(url); Statement s = conn.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM mem0")) {
                    rs.next();
                    if (rs.getLong(1) != rows) {
                        throw new IllegalStateException("mem0 holds " + rs.getLong(1) + " rows, not " + rows);
                    }
                }
            }
        }
        double f = median(floor);
        double m = median(mig);
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        String md = String.format(Locale.ROOT, "| %,d points of %d dims (local Qdrant -> pgvector) | seconds (median of %d) | vs COPY |%n"
                + "|---|---:|---:|%n"
                + "| PostgreSQL's own binary COPY of the same rows (psql \\copy ... (FORMAT binary)): the floor | %.1f | 1.00x |%n"
                + "| ./mig run (022's map: pickles unpickled, vectors float32, payload JSONB, binary COPY), peak RSS %d MB | %.1f | %.2fx |%n"
                + "%nRounds: binary COPY %s s, mig %s s (interleaved, the order alternating); load average at the end %s.%n",
                rows, dims, repeat, f, Collections.max(peak), m, m / f, floor, mig, load);
        Files.writeString(Path.of("target/bench/qdrant.md"), md);
        System.out.print(md);
    }

    /** A sample store made by the generator, read back point by point by the real qdrant-client. */
    private static void verify(Path sample, int dims) throws Exception {
        int n = 2000;
        QdrantStores.write(sample, n, dims, 7);
        ArrayNode expected = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            QdrantStores.Point p = QdrantStores.point(7, i, dims);
            ObjectNode o = expected.addObject().put("id", p.id());
            ArrayNode v = o.putArray("vector");
            for (double d : p.vector()) {
                v.add(d);
            }
            ObjectNode payload = o.putObject("payload");
            p.payload().forEach(payload::put);
        }
        Path points = sample.resolve("expected.jsonl");
        StringBuilder lines = new StringBuilder();
        expected.forEach(e -> lines.append(e).append('\n'));
        Files.writeString(points, lines);
        ObjectNode a = JSON.createObjectNode().put("qdrant_client", System.getenv("MIG_QDRANT_CLIENT")).put("path", sample.toString())
                .put("points", points.toString());
        Process p = new ProcessBuilder("/usr/bin/python3", Path.of("src/test/resources/live/mem0_local_stores.py").toAbsolutePath().toString(),
                "qdrant-verify", a.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("verified " + n + " points")) {
            throw new IllegalStateException("the real qdrant-client did not read the generated store back: " + out);
        }
        System.err.print("generator: " + out);
    }

    private static Child psql(int port, String password, Path work, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-q", "-h", "localhost", "-p", String.valueOf(port), "-U", "postgres", "-d", "qbench",
                "-c", command);
        pb.environment().put("PGPASSWORD", password);
        return Child.run(pb, work);
    }

    private static void check(Child c, String what) {
        if (c.exit != 0) {
            throw new IllegalStateException(what + " failed (exit " + c.exit + "): " + c.output);
        }
    }

    private static void recreate(String url, int dims) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS mem0");
            s.execute("CREATE TABLE mem0 (id uuid PRIMARY KEY, vector vector(" + dims + "), payload jsonb)");
            s.execute("CHECKPOINT");
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
