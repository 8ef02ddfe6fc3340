package dev.mig.run.session;

/** Progress in words and as a bar: rows, percent, rows/s, time left. */
public final class ProgressText {
    private ProgressText() {
    }

    public static String describe(String what, long done, long total, long elapsedMillis) {
        StringBuilder out = new StringBuilder(what).append(": ").append(String.format("%,d", done));
        if (total > 0) {
            out.append(" of ").append(String.format("%,d", total)).append(" rows (").append(done * 100 / total).append("%)");
        } else {
            out.append(" rows");
        }
        long rate = elapsedMillis > 0 ? done * 1000 / elapsedMillis : 0;
        out.append(", ").append(String.format("%,d", rate)).append(" rows/s");
        if (total > 0 && rate > 0 && done < total) {
            out.append(", about ").append(eta((total - done) / rate)).append(" left");
        }
        return out.toString();
    }

    /** "[#####.....] 45% 12,300 rows/s ETA 0:12 what", fitted to {@code width}. */
    public static String bar(String what, long done, long total, long elapsedMillis, int width) {
        long rate = elapsedMillis > 0 ? done * 1000 / elapsedMillis : 0;
        String tail = total > 0
                ? String.format(" %3d%% %,d rows/s ETA %s  %s", done * 100 / total, rate, rate > 0 ? eta((total - done) / rate) : "?", what)
                : String.format(" %,d rows, %,d rows/s  %s", done, rate, what);
        int barWidth = Math.max(10, Math.min(40, width - tail.length() - 3));
        int filled = total > 0 ? (int) Math.min(barWidth, done * barWidth / total) : 0;
        String line = "[" + "#".repeat(filled) + ".".repeat(barWidth - filled) + "]" + tail;
        return width > 1 && line.length() >= width ? line.substring(0, width - 2) + "\u2026" : line;
    }

    public static String eta(long seconds) {
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
