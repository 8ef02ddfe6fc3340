package dev.mig.plan;

import dev.mig.db.JdbcUrls;
import dev.mig.syntax.Names;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A deterministic, human-readable account of what a script will do, for pull-request review:
 * connections (passwords hidden), then each statement as a numbered step with what it reads,
 * writes and deletes. The same script always gives the same bytes.
 */
public final class Planner {
    private Planner() {
    }

    public static String plan(Script script) {
        StringBuilder out = new StringBuilder();
        out.append("Plan for ").append(script.file()).append('\n');
        script.header().ifPresentOrElse(
                m -> out.append(m.repeatable() ? "repeatable (runs on every mig run)" : "migration " + m.version()).append(": ")
                        .append(m.description().value()).append('\n'),
                () -> out.append("migration: (no header)\n"));
        out.append("script sha256: ").append(DigestUtils.sha256Hex(script.source().getBytes(StandardCharsets.UTF_8)))
                .append("\n\n");

        out.append("Connections:\n");
        List<Stmt.Connect> connections = Prelude.of(script).connections();
        int nameWidth = connections.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Stmt.Connect c : connections) {
            out.append("  ").append(pad(c.name(), nameWidth)).append("  ").append(JdbcUrls.redact(c.url().value()))
                    .append(c.readonly() ? "  (readonly)" : "").append('\n');
        }
        if (connections.isEmpty()) {
            out.append("  (none)\n");
        }

        out.append("\nSteps:\n");
        int step = 0;
        List<String> destructive = new ArrayList<>();
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Migration || stmt instanceof Stmt.Connect) {
                continue;
            }
            step++;
            Effects effects = Effects.of(stmt);
            boolean forced = stmt.forced();
            String prefix = String.format("%3d. line %-4d ", step, stmt.span().line());
            String indent = " ".repeat(prefix.length());
            String[] text = Printer.statement(stmt).split("\n");
            out.append(prefix).append(text[0]);
            if (effects.destructive()) {
                out.append(forced ? "   [DESTRUCTIVE, FORCED]" : "   [DESTRUCTIVE]");
                destructive.add(step + (forced ? " (forced)" : ""));
            }
            out.append('\n');
            for (int i = 1; i < text.length; i++) {
                out.append(indent).append(text[i]).append('\n');
            }
            effect(out, indent, "reads:   ", effects.reads());
            effect(out, indent, "writes:  ", effects.writes());
            effect(out, indent, "deletes: ", effects.deletes());
            if (stmt instanceof Stmt.Set s) {
                out.append(indent).append("setting: ").append(Names.quoteIfNeeded(s.name())).append(" = ")
                        .append(s.value()).append('\n');
            }
        }
        if (step == 0) {
            out.append("  (none)\n");
        }
        out.append('\n').append(step).append(step == 1 ? " step" : " steps").append(", ");
        out.append(destructive.isEmpty() ? "none destructive" : "destructive: " + String.join(", ", destructive));
        out.append('\n');
        out.append("\nRollback (mig rollback ").append(script.header().map(Stmt.Migration::version).orElse("VERSION"))
                .append("):\n");
        for (String line : RollbackPlan.lines(script)) {
            out.append("  ").append(line).append('\n');
        }
        return out.toString();
    }

    /** One step of a plan: what the text and Markdown forms show. */
    public record Step(int number, int line, String statement, Effects effects, boolean forced, String setting) {
    }

    /** The steps of a script (connections and the header are not steps). */
    public static List<Step> steps(Script script) {
        List<Step> out = new ArrayList<>();
        int step = 0;
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Migration || stmt instanceof Stmt.Connect) {
                continue;
            }
            step++;
            String setting = stmt instanceof Stmt.Set s ? Names.quoteIfNeeded(s.name()) + " = " + s.value() : null;
            out.add(new Step(step, stmt.span().line(), Printer.statement(stmt), Effects.of(stmt), stmt.forced(), setting));
        }
        return out;
    }

    /** The connections of a script: name, URL with passwords masked, readonly. */
    public static List<String[]> connections(Script script) {
        List<String[]> out = new ArrayList<>();
        for (Stmt.Connect c : Prelude.of(script).connections()) {
            out.add(new String[] {c.name(), JdbcUrls.redact(c.url().value()), c.readonly() ? "readonly" : ""});
        }
        return out;
    }

    /** What mig rollback VERSION would do, line by line. */
    public static List<String> rollback(Script script) {
        return RollbackPlan.lines(script);
    }

    private static void effect(StringBuilder out, String indent, String label, List<String> items) {
        for (String item : items) {
            out.append(indent).append(label).append(item).append('\n');
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
