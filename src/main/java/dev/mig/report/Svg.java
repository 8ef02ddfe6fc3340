package dev.mig.report;

import java.util.List;
import java.util.Locale;

/**
 * The report's pictures, as plain inline SVG from the model (no library, no script, no font to fetch):
 * rows per table before and after, rejects by reason, and a timeline of the run's statements.
 */
final class Svg {
    private static final int WIDTH = 720;
    private static final int LABEL = 220;

    private Svg() {
    }

    static String rows(List<Model.Change> tables) {
        if (tables.isEmpty()) {
            return "";
        }
        long max = 1;
        for (Model.Change c : tables) {
            max = Math.max(max, Math.max(c.before(), c.after()));
        }
        int barHeight = 14;
        int rowHeight = 2 * barHeight + 14;
        int height = 24 + rowHeight * tables.size();
        StringBuilder out = open(height, "Rows per table before (backup) and after (now)");
        legend(out, "before", "#9aa5b1", "after", "#2f6fb0");
        int y = 24;
        for (Model.Change c : tables) {
            text(out, 0, y + barHeight + 4, c.table(), "start");
            bar(out, y, c.before(), max, "#9aa5b1", barHeight);
            bar(out, y + barHeight + 2, c.after(), max, "#2f6fb0", barHeight);
            y += rowHeight;
        }
        return out.append("</svg>").toString();
    }

    static String rejects(List<Model.Reject> rejects) {
        if (rejects.isEmpty()) {
            return "";
        }
        long max = 1;
        for (Model.Reject r : rejects) {
            max = Math.max(max, r.count());
        }
        int barHeight = 16;
        int height = 8 + (barHeight + 8) * rejects.size();
        StringBuilder out = open(height, "Rejected rows by reason");
        int y = 4;
        for (Model.Reject r : rejects) {
            text(out, 0, y + 12, shorten(r.reason(), 34), "start");
            bar(out, y, r.count(), max, "#c0392b", barHeight);
            y += barHeight + 8;
        }
        return out.append("</svg>").toString();
    }

    static String timeline(List<Model.Step> steps) {
        if (steps.isEmpty()) {
            return "";
        }
        long end = 1;
        for (Model.Step s : steps) {
            end = Math.max(end, s.startMs() + s.millis());
        }
        int barHeight = 12;
        int height = 24 + (barHeight + 4) * steps.size();
        StringBuilder out = open(height, "Timeline of the run's statements (" + Fmt.millis(end) + ")");
        int y = 4;
        double scale = (WIDTH - LABEL - 10) / (double) end;
        for (Model.Step s : steps) {
            text(out, 0, y + 10, "line " + s.line() + " " + shorten(s.statement(), 26), "start");
            int x = LABEL + (int) Math.round(s.startMs() * scale);
            int w = Math.max(2, (int) Math.round(s.millis() * scale));
            String color = "ok".equals(s.outcome()) ? "#2f6fb0" : "#c0392b";
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    x, y, w, barHeight, color, escape("line " + s.line() + ": " + s.duration())));
            y += barHeight + 4;
        }
        text(out, LABEL, y + 14, "0", "start");
        text(out, WIDTH - 4, y + 14, Fmt.millis(end), "end");
        return out.append("</svg>").toString();
    }

    private static StringBuilder open(int height, String title) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"11\">", WIDTH, height, WIDTH, height, escape(title)));
        out.append("<title>").append(escape(title)).append("</title>");
        return out;
    }

    private static void legend(StringBuilder out, String a, String colorA, String b, String colorB) {
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\"/>", LABEL, colorA));
        text(out, LABEL + 14, 13, a, "start");
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\"/>", LABEL + 80, colorB));
        text(out, LABEL + 94, 13, b, "start");
    }

    private static void bar(StringBuilder out, int y, long value, long max, String color, int height) {
        int w = (int) Math.round((WIDTH - LABEL - 90) * (value / (double) max));
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", LABEL, y, Math.max(w, 1),
                height, color));
        text(out, LABEL + Math.max(w, 1) + 4, y + height - 3, String.format(Locale.ROOT, "%,d", value), "start");
    }

    private static void text(StringBuilder out, int x, int y, String text, String anchor) {
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>", x, y, anchor, escape(text)));
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
