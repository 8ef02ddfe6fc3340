package dev.mig.mem0;

import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.mem0.emulation.Stores;
import dev.mig.report.Render;
import dev.mig.report.Reporter;
import dev.mig.resolve.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig report's HTML in a real headless browser (Debian's chromium): it renders (a screenshot), logs no
 * console message and requests nothing from the network. Two control pages prove the checks can fail.
 * Runs in .ci/real-clients, which installs chromium.
 */
@Tag("real-clients")
class ReportBrowserTest {
    @TempDir
    Path dir;

    /** What chromium did with a page: its console lines, the requests the page made, the screenshot. */
    record Seen(List<String> console, List<String> requests, Path screenshot) {
    }

    private Seen open(Path page) throws Exception {
        Path shot = dir.resolve(page.getFileName() + ".png");
        Path net = dir.resolve(page.getFileName() + ".net.json");
        Path err = dir.resolve(page.getFileName() + ".stderr");
        String chromium = System.getenv().getOrDefault("MIG_CHROMIUM", "chromium");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1280,3000", "--screenshot=" + shot, "--enable-logging=stderr", "--v=0", "--log-net-log=" + net,
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--virtual-time-budget=3000", page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(err.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        List<String> console = new ArrayList<>();
        for (String line : Files.readAllLines(err)) {
            if (line.contains("CONSOLE") || line.contains("Uncaught")) {
                console.add(line);
            }
        }
        JsonNode log = new ObjectMapper().readTree(net.toFile());
        Map<Integer, String> names = new HashMap<>();
        log.path("constants").path("logEventTypes").fields().forEachRemaining(e -> names.put(e.getValue().asInt(), e.getKey()));
        List<String> requests = new ArrayList<>();
        for (JsonNode e : log.path("events")) {
            JsonNode params = e.path("params");
            // the browser's own service traffic has no origin; whatever the page asks for has one (file:// pages: "null")
            if ("URL_REQUEST_START_JOB".equals(names.get(e.path("type").asInt())) && params.has("url")
                    && !"not an origin".equals(params.path("initiator").asText())) {
                requests.add(params.path("url").asText());
            }
        }
        return new Seen(console, requests, shot);
    }

    @Test
    void theReportRendersWithoutConsoleMessagesOrNetworkRequests() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            Stores.g2(c, 1500, 62);
        }
        Map<String, String> env = new HashMap<>(Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db, "MIG_OUT", dir.resolve("out").toString()));
        PackRun.applied(dir, "007_history_g2_sqlite.mig", env);
        Path page = dir.resolve("report.html");
        Files.writeString(page, Render.html(new Reporter(new RunOptions(false, env, dir, line -> { }))
                .build(List.of(Path.of("scripts/mem0/007_history_g2_sqlite.mig")), Instant.now())));

        Seen seen = open(page);
        assertEquals(List.of(), seen.console(), "console messages");
        assertEquals(List.of(), seen.requests(), "network requests by the page");
        byte[] png = Files.readAllBytes(seen.screenshot());
        assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a screenshot of the rendered page");
        Files.createDirectories(Path.of("target"));
        Files.copy(seen.screenshot(), Path.of("target/report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);

        // controls: the same checks see a console message and a request when a page has them
        Path control = dir.resolve("control.html");
        Files.writeString(control, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>c</title></head><body>"
                + "<img src=\"http://127.0.0.1:9/pixel.png\" alt=\"\"><script>console.error('boom')</script></body></html>");
        Seen bad = open(control);
        assertTrue(bad.console().stream().anyMatch(l -> l.contains("boom")), "the console check works: " + bad.console());
        assertTrue(bad.requests().stream().anyMatch(u -> u.startsWith("http://127.0.0.1:9/")), "the request check works: " + bad.requests());
    }
}
