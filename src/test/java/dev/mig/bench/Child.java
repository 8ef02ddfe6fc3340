package dev.mig.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program the benchmark runs as its own process (mig, pgloader, a shell pipeline): exit code, output,
 * wall time, and the resident set of the process tree sampled every 250 ms (peak and the curve, to see
 * whether memory stays flat).
 */
final class Child {
    int exit;
    String output;
    long millis;
    long peakKb = -1;
    /** Resident set (KB) of the whole process tree, one sample every 250 ms. */
    final List<Long> rssKb = new ArrayList<>();

    static Child run(List<String> command, Path dir) throws Exception {
        return run(new ProcessBuilder(command), dir);
    }

    static Child run(ProcessBuilder builder, Path dir) throws Exception {
        Child result = new Child();
        long start = System.nanoTime();
        Process p = builder.directory(dir.toFile()).redirectErrorStream(true).start();
        Thread sampler = new Thread(() -> result.sample(p.toHandle()), "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        result.output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(2, TimeUnit.HOURS);
        result.millis = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        result.exit = p.exitValue();
        result.peakKb = result.rssKb.stream().mapToLong(Long::longValue).max().orElse(-1);
        return result;
    }

    /** A shell pipeline, as a user types it. */
    static Child shell(String script, Path dir) throws Exception {
        return run(List.of("bash", "-o", "pipefail", "-c", script), dir);
    }

    private void sample(ProcessHandle root) {
        while (root.isAlive() && !Thread.currentThread().isInterrupted()) {
            long kb = rss(root) + root.descendants().mapToLong(Child::rss).sum();
            synchronized (rssKb) {
                rssKb.add(kb);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long rss(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (Exception gone) {
            // the process ended between the listing and the read
        }
        return 0;
    }

    /** Resident set at 25, 50, 75 and 100% of the run, in MB: flat when the later ones do not grow. */
    String rssCurve() {
        synchronized (rssKb) {
            if (rssKb.isEmpty()) {
                return "-";
            }
            List<String> points = new ArrayList<>();
            for (int quarter = 1; quarter <= 4; quarter++) {
                int i = Math.min(rssKb.size() - 1, rssKb.size() * quarter / 4 - (quarter == 4 ? 1 : 0));
                points.add(rssKb.get(Math.max(0, i)) / 1024 + "");
            }
            return String.join(" / ", points) + " MB";
        }
    }

    /** What mig printed for the first statement starting with this text: its duration in ms, or -1. */
    long statementMillis(String start) {
        Matcher m = Pattern.compile("line \\d+: " + Pattern.quote(start) + "[^\\n]*\\(([0-9.]+) (m?s)\\)").matcher(output);
        if (!m.find()) {
            System.err.println("no result for '" + start + "' in:\n" + output);
            return -1;
        }
        double value = Double.parseDouble(m.group(1));
        return m.group(2).equals("s") ? (long) (value * 1000) : (long) value;
    }

    /** The whole line mig printed for a statement (its note says how it ran). */
    String statementLine(String start) {
        Matcher m = Pattern.compile("line \\d+: " + Pattern.quote(start) + "[^\\n]*").matcher(output);
        return m.find() ? m.group() : "";
    }

    String lastLines() {
        String[] lines = output.strip().split("\n");
        return String.join(" / ", Arrays.asList(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }
}
