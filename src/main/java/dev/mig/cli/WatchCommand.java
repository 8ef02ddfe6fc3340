package dev.mig.cli;

import dev.mig.MigException;
import dev.mig.Output;
import dev.mig.watch.Watch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watch", description = "Watch migrated mem0 stores: schema drift, rows written in a legacy format since the "
        + "migration, rows vanishing, orphan tables, mig's leftovers. --once: exit 0 healthy, 1 anomalies, 2 could not check; "
        + "else checks every interval and serves Prometheus metrics. Readonly.")
final class WatchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "URL", description = "JDBC URLs of the stores")
    List<String> urls;

    @Option(names = "--once", description = "check once and exit (for cron and CI)")
    boolean once;

    @Option(names = "--interval", defaultValue = "30s", description = "time between checks: 30s (default), 5m, 500ms")
    String interval;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json (one object per finding)")
    Watch.Format format;

    @Option(names = "--listen", defaultValue = "127.0.0.1:9477", description = "HOST:PORT of /metrics (default 127.0.0.1:9477)")
    String listen;

    @Option(names = "--audit", description = "the JSON-lines file state changes go to (default: $MIG_OUT/watch.audit.jsonl, "
            + "else ./mig-watch.audit.jsonl)")
    Path audit;

    @Option(names = "--checks", hidden = true, defaultValue = "0", description = "stop after N checks (tests)")
    int checks;

    @Override
    public Integer call() throws Exception {
        Watch.Format chosen = format;
        Path auditFile = audit != null ? audit : System.getenv("MIG_OUT") != null
                ? Path.of(System.getenv("MIG_OUT"), "watch.audit.jsonl") : Path.of("mig-watch.audit.jsonl");
        Watch watch = new Watch(Output.of(spec.commandLine().getOut()), chosen, auditFile);
        if (once) {
            int code = watch.once(urls);
            spec.commandLine().getOut().flush();
            return code;
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new MigException("--listen takes HOST:PORT, e.g. 127.0.0.1:9477");
        }
        watch.loop(urls, duration(interval), listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)), checks);
        return 0;
    }

    static Duration duration(String text) {
        var m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
        if (!m.matches()) {
            throw new MigException("--interval takes a duration such as 30s, 5m or 500ms, not " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
