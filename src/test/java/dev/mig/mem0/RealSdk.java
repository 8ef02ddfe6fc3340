package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real mem0 TypeScript SDK (npm mem0ai 2.4.6 as "v2", 3.3.1 as "v3") driven through
 * src/test/node/mem0-client.cjs, and the PostgreSQL with pgvector the real-clients stage provides.
 * Both come from the environment .ci/real-clients sets up; a missing one fails the test, it is never skipped.
 */
final class RealSdk {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Path nodeDir;
    private final Path home;

    RealSdk(Path home) {
        String dir = System.getenv().getOrDefault("MIG_REAL_CLIENTS_DIR", "src/test/node");
        this.nodeDir = Path.of(dir).toAbsolutePath();
        assertTrue(Files.isDirectory(nodeDir.resolve("node_modules/mem0ai"))
                && Files.isDirectory(nodeDir.resolve("node_modules/mem0ai-v2")),
                "the real mem0 SDK is not installed in " + nodeDir + "/node_modules: run .ci/real-clients");
        this.home = home;
    }

    ObjectNode args() {
        return JSON.createObjectNode();
    }

    /** Runs one SDK call in a fresh node process; the JSON it printed. */
    JsonNode call(String sdk, String command, ObjectNode args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", nodeDir.resolve("mem0-client.cjs").toString(), sdk, command,
                JSON.writeValueAsString(args)).directory(home.toFile());
        pb.environment().put("HOME", home.toString()); // the SDK writes ~/.mem0/config.json
        pb.environment().put("MEM0_TELEMETRY", "false");
        Path err = Files.createTempFile(home, "node", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node " + command + " did not finish");
        assertEquals(0, p.exitValue(), () -> "mem0ai " + sdk + " " + command + " failed:\n" + read(err));
        return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A PostgreSQL server with the vector extension available, and a role that may create databases. */
    record PgServer(String host, int port, String user, String password) {
        static PgServer fromEnvironment() {
            String url = System.getenv("MIG_PGVECTOR_URL");
            assertTrue(url != null && url.startsWith("jdbc:postgresql://"),
                    "MIG_PGVECTOR_URL (jdbc:postgresql://host:port/db?user=..&password=..) is not set: run .ci/real-clients");
            URI uri = URI.create(url.substring("jdbc:".length()));
            Map<String, String> q = new LinkedHashMap<>();
            for (String kv : uri.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                q.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            return new PgServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), q.get("user"), q.get("password"));
        }

        String jdbc(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=" + user + "&password=" + password;
        }

        /** A new empty database with the vector extension. */
        String newDatabase(String name) throws Exception {
            try (Connection c = DriverManager.getConnection(jdbc("postgres")); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
                s.execute("CREATE DATABASE " + name);
            }
            try (Connection c = DriverManager.getConnection(jdbc(name)); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION vector");
            }
            return jdbc(name);
        }

        /** The {@code pg} argument of mem0-client.cjs. */
        ObjectNode clientConfig(String database) {
            ObjectNode pg = JSON.createObjectNode();
            pg.put("dbname", database).put("user", user).put("password", password).put("host", host).put("port", port);
            return pg;
        }
    }

    static ObjectNode write(ObjectNode args, String user, List<String> texts, Map<Integer, String> updates, List<Integer> deletes) {
        args.put("user", user);
        texts.forEach(args.putArray("texts")::add);
        ObjectNode u = args.putObject("updates");
        updates.forEach((i, t) -> u.put(String.valueOf(i), t));
        deletes.forEach(args.putArray("deletes")::add);
        return args;
    }
}
