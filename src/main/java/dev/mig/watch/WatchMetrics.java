package dev.mig.watch;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mig watch's metrics, through the Prometheus Java client (its registry and HTTP server serve
 * /metrics in the exposition format): up and the last check per store, rows per table, anomalies per
 * table and kind. Series of anomalies that went away are set to 0, so alerts resolve.
 */
final class WatchMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge up = Gauge.builder().name("mig_watch_up").help("1 when the last check could read the store")
            .labelNames("store").register(registry);
    private final Gauge lastCheck = Gauge.builder().name("mig_watch_last_check_timestamp_seconds")
            .help("when the store was last checked (Unix time)").labelNames("store").register(registry);
    private final Gauge checkSeconds = Gauge.builder().name("mig_watch_check_duration_seconds")
            .help("how long the last check of the store took").labelNames("store").register(registry);
    private final Gauge rows = Gauge.builder().name("mig_watch_rows").help("rows of a table the migration left")
            .labelNames("store", "table").register(registry);
    private final Gauge anomalies = Gauge.builder().name("mig_watch_anomalies")
            .help("rows (or things) of an anomaly found by the last check; 0 once it is gone")
            .labelNames("store", "table", "kind").register(registry);
    private final Set<List<String>> anomalySeries = new HashSet<>();
    private final HTTPServer server;

    WatchMetrics(String host, int port) throws IOException {
        this.server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    }

    int port() {
        return server.getPort();
    }

    synchronized void update(Watcher.StoreCheck c) {
        up.labelValues(c.store()).set(c.up() ? 1 : 0);
        lastCheck.labelValues(c.store()).set(System.currentTimeMillis() / 1000.0);
        checkSeconds.labelValues(c.store()).set(c.millis() / 1000.0);
        for (Map.Entry<String, Long> e : c.rows().entrySet()) {
            rows.labelValues(c.store(), e.getKey()).set(e.getValue());
        }
        Set<List<String>> now = new HashSet<>();
        for (Finding f : c.findings()) {
            if (f.kind().equals(Finding.UNREACHABLE)) {
                continue; // mig_watch_up says it
            }
            List<String> series = List.of(c.store(), f.table() == null ? "" : f.table(), f.kind());
            anomalies.labelValues(series.toArray(String[]::new)).set(f.count());
            now.add(series);
        }
        if (c.up()) {
            for (List<String> old : anomalySeries) {
                if (old.get(0).equals(c.store()) && !now.contains(old)) {
                    anomalies.labelValues(old.toArray(String[]::new)).set(0);
                }
            }
        }
        anomalySeries.addAll(now);
    }

    @Override
    public void close() {
        server.close();
    }
}
