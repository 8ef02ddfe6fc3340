package dev.mig.plan;

import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The plan as a pull-request comment (GitHub-flavoured Markdown): one section per script with its
 * connections (passwords masked), a table of steps, destructive steps flagged, the total, and what a
 * rollback would do. Deterministic, like the text plan.
 */
public final class MarkdownPlan {
    private MarkdownPlan() {
    }

    public static String section(Script script, String note) {
        StringBuilder out = new StringBuilder();
        String title = script.header().map(m -> (m.repeatable() ? "repeatable" : "migration " + m.version()) + ": " + m.description().value()).orElse("(no migration header)");
        out.append("### `").append(script.file()).append("` — ").append(cell(title)).append('\n');
        if (note != null) {
            out.append('\n').append(note).append('\n');
        }
        out.append("\nsha256 `").append(DigestUtils.sha256Hex(script.source().getBytes(StandardCharsets.UTF_8))).append("`\n\n");
        List<String[]> connections = Planner.connections(script);
        out.append("| connection | url | |\n|---|---|---|\n");
        if (connections.isEmpty()) {
            out.append("| (none) | | |\n");
        }
        for (String[] c : connections) {
            out.append("| ").append(cell(c[0])).append(" | `").append(c[1].replace("`", "'")).append("` | ").append(c[2]).append(" |\n");
        }
        out.append("\n| # | line | statement | reads | writes | deletes |\n|---:|---:|---|---|---|---|\n");
        List<String> destructive = new ArrayList<>();
        List<Planner.Step> steps = Planner.steps(script);
        for (Planner.Step s : steps) {
            String flag = "";
            if (s.effects().destructive()) {
                flag = s.forced() ? " **DESTRUCTIVE, FORCED**" : " **DESTRUCTIVE**";
                destructive.add(s.number() + (s.forced() ? " (forced)" : ""));
            }
            out.append("| ").append(s.number()).append(" | ").append(s.line()).append(" | ").append(code(s.statement()))
                    .append(flag).append(" | ").append(list(s.effects().reads())).append(" | ")
                    .append(list(s.setting() == null ? s.effects().writes() : List.of("setting " + s.setting())))
                    .append(" | ").append(list(s.effects().deletes())).append(" |\n");
        }
        out.append("\n**Total:** ").append(steps.size()).append(steps.size() == 1 ? " step" : " steps").append(", ")
                .append(destructive.isEmpty() ? "none destructive" : "destructive: " + String.join(", ", destructive)).append('\n');
        out.append("\n**Rollback** (`mig rollback ").append(script.header().map(Stmt.Migration::version).orElse("VERSION"))
                .append("`):\n\n");
        for (String line : Planner.rollback(script)) {
            out.append(line.startsWith("  ") ? "  - " + cell(line.trim()) : "- " + cell(line)).append('\n');
        }
        return out.toString();
    }

    /** A statement in a cell: code, one line per statement line. */
    private static String code(String statement) {
        List<String> lines = new ArrayList<>();
        for (String l : statement.split("\n")) {
            lines.add("<code>" + html(l).replace(" ", "&nbsp;").replace("|", "&#124;") + "</code>");
        }
        return String.join("<br>", lines);
    }

    private static String list(List<String> items) {
        List<String> out = new ArrayList<>();
        for (String item : items) {
            out.add(cell(item));
        }
        return String.join("<br>", out);
    }

    static String cell(String s) {
        return html(s).replace("|", "\\|").replace("\n", "<br>");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
