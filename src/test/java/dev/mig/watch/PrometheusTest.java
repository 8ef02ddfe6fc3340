package dev.mig.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Payloads;
import dev.mig.mem0.emulation.PyMem0;
import dev.mig.mem0.emulation.PyRelease;
import dev.mig.mem0.emulation.Stores;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.ScriptRunner;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules and the metrics with the real Prometheus (Debian's package, which .ci/run installs):
 * promtool checks and unit-tests docs/monitoring/mig-alerts.yml; a Prometheus on loopback scrapes mig
 * watch and fires MemHistoryOrphaned after a stale mem0 0.1.x process opens a migrated history, and its
 * HTTP API answers a query for the anomaly. Without Prometheus installed the tests are skipped, except in
 * CI, where they must run.
 */
class PrometheusTest {
    @TempDir
    Path dir;

    private static boolean installed(String program) {
        try {
            return new ProcessBuilder(program, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void require(String program) {
        boolean there = installed(program);
        if (System.getenv("CI") != null) {
            assertTrue(there, program + " is not installed, but CI is set: .ci/run installs Debian's prometheus");
        }
        Assumptions.assumeTrue(there, program + " is not installed (Debian's prometheus package; .ci/run installs it)");
    }

    private static String run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    @Test
    void theRulesPassPromtool() throws Exception {
        require("promtool");
        Path docs = Path.of("docs/monitoring").toAbsolutePath();
        assertTrue(run(docs, "promtool", "check", "rules", "mig-alerts.yml").contains("SUCCESS: 7 rules found"));
        assertTrue(run(docs, "promtool", "test", "rules", "mig-alerts.test.yml").contains("SUCCESS"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void prometheusFiresWhenAStaleReleaseOpensTheMigratedHistory() throws Exception {
        require("prometheus");
        Path file = dir.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Stores.g1(c, 300, 61);
        }
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        String text = Files.readString(Path.of("scripts/mem0/002_history_g1_sqlite.mig"));
        assertEquals(ScriptRunner.Outcome.APPLIED, new ScriptRunner(new RunOptions(false, Map.of("MEM0_HISTORY_G1_URL",
                "jdbc:sqlite:" + file, "MIG_OUT", dir.resolve("out").toString()), dir, out::add))
                .run(new ScriptSource("scripts/mem0/002_history_g1_sqlite.mig", text)), String.join("\n", out));
        int watchPort = freePort();
        int promPort = freePort();
        String url = "jdbc:sqlite:" + file;
        Thread watch = new Thread(() -> {
            try {
                new Watch(out::add, Watch.Format.TEXT, dir.resolve("watch.audit.jsonl")).loop(List.of(url), Duration.ofSeconds(1),
                        "127.0.0.1", watchPort, 90);
            } catch (Exception e) {
                out.add("watch failed: " + e);
            }
        });
        watch.setDaemon(true);
        watch.start();
        Files.copy(Path.of("docs/monitoring/mig-alerts.yml"), dir.resolve("mig-alerts.yml"));
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - mig-alerts.yml
                scrape_configs:
                  - job_name: mig-watch
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(watchPort));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            String up = waitFor(http, promPort, "mig_watch_up", "\"1\"", 60);
            assertTrue(up.contains("\"1\""), up);
            Instant opened = Instant.now();
            try (Connection c = DriverManager.getConnection(url)) { // a stale 0.1.x worker starts, then current mem0
                try {
                    new PyMem0(c, new Payloads(), PyRelease.V0_1_34, Instant::now, () -> "x").start();
                } catch (PyMem0.Mem0Failure expected) {
                    // renamed to old_history, empty G1 table, failed copy
                }
                CurrentMem0.open(c);
            }
            String firing = "";
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !(firing.contains("MemHistoryOrphaned") && firing.contains("firing"))) {
                Thread.sleep(250);
                firing = get(http, "http://127.0.0.1:" + promPort + "/api/v1/alerts");
            }
            double seconds = Duration.between(opened, Instant.now()).toMillis() / 1000.0;
            assertTrue(firing.contains("MemHistoryOrphaned") && firing.contains("\"state\":\"firing\""), firing);
            assertTrue(firing.contains("orphan-table") && firing.contains("old_history"), firing);
            String anomaly = waitFor(http, promPort, "mig_watch_anomalies{kind=\"orphan-table\"}", "\"300\"", 10);
            assertTrue(anomaly.contains("\"table\":\"old_history\"") && anomaly.contains("\"300\""), anomaly);
            System.out.printf("stale process opened the history -> MemHistoryOrphaned firing in Prometheus: %.1f s%n", seconds);
        } finally {
            prometheus.destroy();
            prometheus.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static String get(HttpClient http, String uri) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static String waitFor(HttpClient http, int port, String query, String expected, int seconds) throws Exception {
        String body = "";
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline && !body.contains(expected)) {
            Thread.sleep(250);
            body = get(http, "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        }
        return body;
    }
}
