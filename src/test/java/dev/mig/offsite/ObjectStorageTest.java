package dev.mig.offsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.mem0.emulation.Stores;
import dev.mig.report.Model;
import dev.mig.report.Reporter;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.RollbackRunner;
import dev.mig.run.ScriptRunner;
import dev.mig.watch.Watch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups in object storage against a real S3-compatible server (s3rver 3.7.1 from npm, on loopback),
 * written by mig through the AWS SDK for Java v2 and read back by an independent client (the AWS SDK for
 * JavaScript v3): multipart upload, verification, restore and rollback from the object, a kill -9 in the
 * middle of an upload, wrong credentials and a missing bucket. Runs in .ci/real-clients (npm modules).
 */
@Tag("real-clients")
class ObjectStorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final Path node = Path.of(System.getenv().getOrDefault("MIG_REAL_CLIENTS_DIR", "src/test/node")).toAbsolutePath();
    private Process server;
    private final List<String> serverLog = new CopyOnWriteArrayList<>();
    private Map<String, String> env;

    @BeforeEach
    void startServer() throws Exception {
        assertTrue(Files.isDirectory(node.resolve("node_modules/s3rver")), "s3rver is not installed in " + node + ": run .ci/real-clients");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("s3"));
        server = new ProcessBuilder("node", node.resolve("node_modules/s3rver/bin/s3rver.js").toString(), "-d", dir.resolve("s3").toString(),
                "-p", String.valueOf(port), "-a", "127.0.0.1", "--configure-bucket", "mig-backups").redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    serverLog.add(line);
                }
            } catch (Exception ignored) {
                // the server stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        long until = System.currentTimeMillis() + 20_000;
        while (serverLog.stream().noneMatch(l -> l.contains("listening")) && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(serverLog.stream().anyMatch(l -> l.contains("listening")), "s3rver started: " + serverLog);
        env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", "S3RVER");
        env.put("AWS_SECRET_ACCESS_KEY", "S3RVER");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + port);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    private JsonNode client(String command, ObjectNode args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", node.resolve("s3-client.cjs").toString(), command, JSON.writeValueAsString(args));
        pb.environment().putAll(env);
        Path err = Files.createTempFile(dir, "s3client", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> "s3-client " + command + ": " + readQuietly(err));
        return JSON.readTree(out);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private boolean exists(String key) throws Exception {
        return client("head", JSON.createObjectNode().put("bucket", "mig-backups").put("key", key)).get("exists").asBoolean();
    }

    /** The object and its manifest as the other client downloads them: the manifest's sha256 is the object's. */
    private List<JsonNode> download(String key) throws Exception {
        Path object = dir.resolve("downloaded.gz");
        Path manifest = dir.resolve("downloaded.manifest.json");
        client("get", JSON.createObjectNode().put("bucket", "mig-backups").put("key", key).put("file", object.toString()));
        client("get", JSON.createObjectNode().put("bucket", "mig-backups").put("key", key + ".manifest.json").put("file", manifest.toString()));
        JsonNode m = JSON.readTree(manifest.toFile());
        assertEquals(m.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(object))),
                "the manifest's sha256 is the object's");
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(object)), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(JSON.readTree(line));
            }
        }
        assertEquals(m.get("rows").asLong(), rows.size());
        return rows;
    }

    private List<String> run(String name, String script) {
        List<String> out = new ArrayList<>();
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, env, dir, out::add))
                .run(new ScriptSource(dir.resolve(name).toString(), script));
        out.add("outcome: " + outcome);
        return out;
    }

    private static Map<String, String> history(Path db) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM history")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.put(rs.getString("id"), row.toString());
            }
        }
        return rows;
    }

    @Test
    void backupRestoreAndRollbackThroughObjectStorage() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Stores.g2(c, 3000, 51);
        }
        Map<String, String> before = history(db);
        String script = "migration 1 'history backed up to object storage, then changed'\n"
                + "connect h 'jdbc:sqlite:" + db + "'\n"
                + "backup h.history to 's3://mig-backups/prod/history.jsonl.gz'\n"
                + "sql h '''DELETE FROM history WHERE event = 'ADD' '''\n";
        String out = String.join("\n", run("m1.mig", script));
        assertTrue(out.contains("outcome: APPLIED"), out);
        assertTrue(out.contains("to s3://mig-backups/prod/history.jsonl.gz") && out.contains("read back from object storage and verified"), out);
        assertTrue(serverLog.stream().anyMatch(l -> l.contains("?uploads")), "a multipart upload: " + serverLog);

        // mig report reads the object back and says it verifies
        Model.Report report = new Reporter(new RunOptions(false, env, dir, line -> { }))
                .buildFrom(List.of(new ScriptSource(dir.resolve("m1.mig").toString(), script)), Instant.EPOCH);
        Model.Backup b = report.items().get(0).backups().get(0);
        assertEquals(List.of("s3://mig-backups/prod/history.jsonl.gz", "verifies"), List.of(b.location(), b.status()));
        List<JsonNode> rows = download("prod/history.jsonl.gz");
        assertEquals(before.size(), rows.size());
        for (JsonNode row : rows) {
            assertTrue(before.containsKey(row.get("id").asText()), row.toString());
        }
        assertTrue(history(db).size() < before.size(), "the script changed the table");

        List<String> rolled = new ArrayList<>();
        assertTrue(RollbackRunner.run("1", List.of(new ScriptSource(dir.resolve("m1.mig").toString(), script)),
                new RunOptions(false, env, dir, rolled::add)), String.join("\n", rolled));
        assertEquals(before, history(db), "rollback restored every row from the object");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("DELETE FROM history");
        }
        String restored = String.join("\n", run("r.mig", "connect h 'jdbc:sqlite:" + db + "'\n"
                + "restore h.history from 's3://mig-backups/prod/history.jsonl.gz'\n"));
        assertTrue(restored.contains("outcome: APPLIED"), restored);
        assertEquals(before, history(db), "restore from the object");
        // mig watch checks the backup object: fine now, reported once it is gone
        List<String> watched = new ArrayList<>();
        Watch watch = new Watch(watched::add, Watch.Format.TEXT, dir.resolve("w.jsonl"))
                .environment(env);
        watch.once(List.of("jdbc:sqlite:" + db));
        assertFalse(String.join("\n", watched).contains("backup-missing"), String.join("\n", watched));
        new ProcessBuilder("rm", "-f", dir.resolve("s3/mig-backups/prod/history.jsonl.gz._S3rver_object").toString()).start().waitFor();
        watched.clear();
        new Watch(watched::add, Watch.Format.TEXT, dir.resolve("w.jsonl")).environment(env)
                .once(List.of("jdbc:sqlite:" + db));
        String watchReport = String.join("\n", watched);
        assertTrue(watchReport.contains("backup-missing") && watchReport.contains("s3://mig-backups/prod/history.jsonl.gz) missing"), watchReport);
    }

    @Test
    void wrongCredentialsOrAMissingBucketAreOneErrorBeforeAnyRead() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Stores.g2(c, 100, 52);
        }
        String script = "connect h 'jdbc:sqlite:" + db + "'\nbackup h.history to 's3://mig-backups/x/history.jsonl.gz'\n";
        // s3rver checks the key id (it does not compute SigV4 signatures: a wrong secret alone it lets through;
        // AWS and MinIO answer SignatureDoesNotMatch, which mig reports the same way)
        env.put("AWS_ACCESS_KEY_ID", "AKIANOTAKEYOFTHISSTORE");
        env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        String out = String.join("\n", run("w.mig", script));
        assertTrue(out.contains("outcome: FAILED"), out);
        assertTrue(out.contains("w.mig:2:21: error: s3://mig-backups: access denied (403)")
                && out.contains("nothing was read or written"), out);
        assertFalse(out.contains("not-the-secret"), "no secret in the output");
        assertFalse(out.contains("line 2:"), "the backup did not start: " + out);
        env.put("AWS_ACCESS_KEY_ID", "S3RVER");
        env.put("AWS_SECRET_ACCESS_KEY", "S3RVER");
        String missing = String.join("\n", run("n.mig", script.replace("s3://mig-backups/", "s3://no-such-bucket/")));
        assertTrue(missing.contains("s3://no-such-bucket: no such bucket"), missing);
        assertFalse(exists("x/history.jsonl.gz"));
    }

    /** archive (a whole table) and a retention policy's archives, to objects; a policy's second archive gets its own key. */
    @Test
    void archivesGoToObjectStorage() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Stores.g2(c, 800, 53);
        }
        Map<String, String> before = history(db);
        long deletes = before.values().stream().filter(r -> r.toUpperCase().contains("|DELETE|")).count();
        String policy = "connect h 'jdbc:sqlite:" + db + "'\n"
                + "archive h.history where upper(event) = 'DELETE' to 's3://mig-backups/retention/deleted.jsonl.gz'\n";
        String first = String.join("\n", run("p.mig", policy));
        assertTrue(first.contains("outcome: APPLIED") && first.contains("archived to s3://mig-backups/retention/deleted.jsonl.gz"), first);
        assertEquals(deletes, download("retention/deleted.jsonl.gz").size());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO history (id, memory_id, event, is_deleted) VALUES ('late', 'm-late', 'DELETE', 1)");
        }
        String second = String.join("\n", run("p.mig", policy));
        assertTrue(second.contains("outcome: APPLIED"), second);
        JsonNode keys = client("list", JSON.createObjectNode().put("bucket", "mig-backups").put("prefix", "retention/"));
        List<String> names = new ArrayList<>();
        keys.forEach(k -> names.add(k.get("key").asText()));
        assertEquals(4, names.size(), "two archives and their manifests: " + names);
        String stamped = names.stream().filter(n -> n.matches("retention/deleted\\.\\d{8}T\\d{6}Z\\.jsonl\\.gz")).findFirst().orElseThrow();
        assertEquals("late", download(stamped).get(0).get("id").asText());

        String whole = String.join("\n", run("a.mig", "connect h 'jdbc:sqlite:" + db + "'\n"
                + "backup h.history to 's3://mig-backups/archive/history.backup.jsonl.gz'\n"
                + "archive h.history to 's3://mig-backups/archive/history.jsonl.gz'\n"));
        assertTrue(whole.contains("outcome: APPLIED"), whole);
        assertEquals(before.size() - deletes, download("archive/history.jsonl.gz").size());
        assertEquals(Map.of(), history(db), "archived and deleted");
    }

    /** kill -9 while parts are being uploaded: no object that looks complete, and the next run succeeds. */
    @Test
    void aKilledUploadLeavesNoObjectAndTheRerunSucceeds() throws Exception {
        Path db = dir.resolve("big.db");
        Random random = new Random(7);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, memory_id TEXT, new_memory TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO history VALUES (?, ?, ?)")) {
                byte[] noise = new byte[3000];
                for (int i = 0; i < 12_000; i++) {
                    random.nextBytes(noise);
                    ps.setString(1, "e" + i);
                    ps.setString(2, "m" + (i / 3));
                    ps.setString(3, Base64.getEncoder().encodeToString(noise)); // does not compress: many parts
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        Path script = dir.resolve("big.mig");
        Files.writeString(script, "migration 1 'a large backup'\nconnect h 'jdbc:sqlite:" + db + "'\n"
                + "backup h.history to 's3://mig-backups/big/history.jsonl.gz'\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.mig.cli.Main", "run", script.toString());
        pb.environment().putAll(env);
        pb.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile());
        Process mig = pb.start();
        long until = System.currentTimeMillis() + 60_000;
        while (serverLog.stream().noneMatch(l -> l.contains("Stored part 1 of")) && mig.isAlive() && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertTrue(mig.isAlive(), "mig still uploading when killed: " + readQuietly(dir.resolve("killed.log")));
        mig.destroyForcibly(); // SIGKILL
        assertTrue(mig.waitFor(20, TimeUnit.SECONDS));
        assertTrue(serverLog.stream().anyMatch(l -> l.contains("Stored part 1 of")), "killed in the middle of an upload");
        assertFalse(serverLog.stream().anyMatch(l -> l.contains("Stored object \"big/history.jsonl.gz\"")), "never completed");
        assertFalse(exists("big/history.jsonl.gz"), "no object that looks complete");
        assertFalse(exists("big/history.jsonl.gz.manifest.json"), "and no manifest");

        String out = String.join("\n", run("big.mig", Files.readString(script)));
        assertTrue(out.contains("outcome: APPLIED") && out.contains("read back from object storage and verified"), out);
        assertEquals(12_000, download("big/history.jsonl.gz").size());
    }
}
