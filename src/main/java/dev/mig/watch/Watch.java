package dev.mig.watch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.Output;
import dev.mig.data.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mig watch}: checks the stores once (exit 0 healthy, 1 anomalies, 2 a store could not be
 * checked), or every interval while serving Prometheus metrics. A change of a store's state (an anomaly
 * appears, changes its count or goes; the store goes down or comes back) is one log line and one audit
 * JSON line.
 */
public final class Watch {
    public enum Format {
        TEXT, JSON;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Output out;
    private final Format format;
    private final Path audit;
    private final Watcher watcher = new Watcher();
    private final Map<String, Map<String, Long>> lastState = new HashMap<>();

    public Watch(Output out, Format format, Path audit) {
        this.out = out;
        this.format = format;
        this.audit = audit;
    }

    /** The environment object-store checks read (AWS_* variables) instead of the process's. */
    public Watch environment(Map<String, String> env) {
        watcher.environment(env);
        return this;
    }

    /** One check of every store, printed; the exit code. */
    public int once(List<String> urls) {
        int code = 0;
        for (Watcher.StoreCheck c : checkAll(urls)) {
            print(c);
            code = Math.max(code, !c.up() ? 2 : c.findings().stream().anyMatch(f -> !f.kind().equals(Finding.NEVER_MIGRATED)) ? 1 : 0);
        }
        return code;
    }

    /** Checks every {@code interval}, serving metrics on host:port, until {@code checks} checks (0: for ever). */
    public void loop(List<String> urls, Duration interval, String host, int port, int checks) throws IOException, InterruptedException {
        try (WatchMetrics metrics = new WatchMetrics(host, port)) {
            out.line("mig watch: " + urls.size() + " store" + (urls.size() == 1 ? "" : "s") + ", every " + interval.toSeconds()
                    + " s; metrics on http://" + host + ":" + metrics.port() + "/metrics");
            for (int n = 1; checks == 0 || n <= checks; n++) {
                Instant start = Instant.now();
                for (Watcher.StoreCheck c : checkAll(urls)) {
                    metrics.update(c);
                    changes(c);
                }
                if (checks != 0 && n == checks) {
                    break;
                }
                long wait = interval.minus(Duration.between(start, Instant.now())).toMillis();
                Thread.sleep(Math.max(0, wait));
            }
        }
    }

    /**
     * Every store checked; then a collection that lost more memories than the watched histories recorded
     * DELETE events for since the migration is a finding: rows vanished (mem0 deletes a memory and writes
     * its DELETE event; the stores of one application are watched together).
     */
    private List<Watcher.StoreCheck> checkAll(List<String> urls) {
        List<Watcher.StoreCheck> checks = new ArrayList<>();
        for (String url : urls) {
            checks.add(watcher.check(url));
        }
        long deleteEvents = -1;
        for (Watcher.StoreCheck c : checks) {
            if (c.deleteEvents() >= 0) {
                deleteEvents = Math.max(0, deleteEvents) + c.deleteEvents();
            }
        }
        if (deleteEvents < 0) {
            return checks;
        }
        List<Watcher.StoreCheck> out = new ArrayList<>();
        for (Watcher.StoreCheck c : checks) {
            List<Finding> findings = new ArrayList<>(c.findings());
            for (Map.Entry<String, Long> s : c.shrunk().entrySet()) {
                if (s.getValue() > deleteEvents) {
                    findings.add(new Finding(c.store(), s.getKey(), Finding.ROWS_VANISHED, s.getValue() - deleteEvents, s.getValue()
                            + " memories fewer than the migration left, but the watched history holds " + deleteEvents
                            + " DELETE events since: " + (s.getValue() - deleteEvents) + " vanished without mem0 deleting them",
                            "mig inspect " + c.store() + "; mig rollback of the migration that left it"));
                }
            }
            out.add(new Watcher.StoreCheck(c.store(), c.up(), c.rows(), findings, c.millis(), c.scanned(), c.shrunk(),
                    c.deleteEvents()));
        }
        return out;
    }

    private void print(Watcher.StoreCheck c) {
        if (format == Format.JSON) {
            for (Finding f : c.findings()) {
                out.line(f.json().toString());
            }
            return;
        }
        List<Finding> real = c.findings().stream().filter(f -> !f.kind().equals(Finding.NEVER_MIGRATED)).toList();
        out.line("store " + c.store() + ": " + (!c.up() ? "could not be checked" : real.isEmpty() ? "healthy" : real.size()
                + " anomal" + (real.size() == 1 ? "y" : "ies")) + " (" + c.millis() + " ms)");
        for (Finding f : c.findings()) {
            out.line(f.line());
        }
    }

    /** Log and audit what changed since the last check of the store. */
    private void changes(Watcher.StoreCheck c) {
        Map<String, Long> state = new TreeMap<>();
        state.put("up", c.up() ? 1L : 0L);
        for (Finding f : c.findings()) {
            state.put((f.table() == null ? "-" : f.table()) + " " + f.kind(), f.count());
        }
        Map<String, Long> before = lastState.put(c.store(), state);
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Long> e : state.entrySet()) {
            Long was = before == null ? null : before.get(e.getKey());
            if (!e.getValue().equals(was) && !(before == null && e.getKey().equals("up") && e.getValue() == 1)) {
                changed.add(e.getKey() + " " + (was == null ? "" : was + " -> ") + e.getValue());
            }
        }
        if (before != null) {
            before.keySet().stream().filter(k -> !state.containsKey(k)).forEach(k -> changed.add(k + " gone"));
        }
        if (changed.isEmpty()) {
            return;
        }
        out.line(Instant.now() + " " + c.store() + ": " + String.join("; ", changed));
        for (Finding f : c.findings()) {
            out.line(Instant.now() + " " + f.line().trim());
        }
        if (audit != null) {
            ObjectNode line = Values.JSON.createObjectNode();
            line.put("at", Instant.now().toString());
            line.put("store", c.store());
            line.put("up", c.up());
            line.putPOJO("changed", changed);
            ArrayNode findings = line.putArray("findings");
            c.findings().forEach(f -> findings.add(f.json()));
            try {
                Files.createDirectories(audit.toAbsolutePath().getParent());
                Files.writeString(audit, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                out.line("warning: cannot append to " + audit + ": " + e.getMessage());
            }
        }
    }
}
