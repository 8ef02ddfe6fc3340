package dev.mig.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a mig run spent its CPU, from a JFR recording: the share of execution samples per area (the
 * innermost frame of mig's own code or of a library) and the hottest methods by own time.
 */
final class Profile {
    private Profile() {
    }

    /** "area 41%, area 20%, ...; hot: Class.method 12%, ..." from one recording. */
    static String summary(Path jfr) throws Exception {
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            total++;
            methods.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            areas.merge(area(frames), 1, Integer::sum);
        }
        if (total == 0) {
            return "no samples";
        }
        return "by area: " + top(areas, total, 6) + "; hottest methods (own time): " + top(methods, total, 6)
                + " (" + total + " samples)";
    }

    /** What a sample was doing: the first frame that belongs to a known area, innermost first. */
    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("org.sqlite.")) {
                return "SQLite read";
            }
            if (type.startsWith("org.postgresql.")) {
                return "pgjdbc";
            }
            if (type.startsWith("com.fasterxml.")) {
                return "JSON";
            }
            if (type.startsWith("dev.mig.")) {
                String[] parts = type.split("\\.");
                return "mig " + parts[Math.min(2, parts.length - 1)] + "." + simple(type);
            }
        }
        return "JDK/other";
    }

    private static String name(RecordedMethod m) {
        return simple(m.getType().getName()) + "." + m.getName();
    }

    private static String simple(String type) {
        String s = type.substring(type.lastIndexOf('.') + 1);
        int inner = s.indexOf('$');
        return inner > 0 ? s.substring(0, inner) : s;
    }

    private static String top(Map<String, Integer> counts, int total, int n) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> b.getValue() - a.getValue());
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(n, sorted.size()))) {
            parts.add(e.getKey() + " " + String.format(Locale.ROOT, "%.0f%%", 100.0 * e.getValue() / total));
        }
        return String.join(", ", parts);
    }
}
