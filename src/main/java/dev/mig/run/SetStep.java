package dev.mig.run;

import dev.mig.run.session.Session;
import dev.mig.run.session.Settings;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Text;
import java.nio.file.Path;

/** set: execution settings for the statements that follow. */
final class SetStep {
    private final Session session;

    SetStep(Session session) {
        this.session = session;
    }

    StepResult run(Stmt.Set s) {
        String value = s.quoted() ? session.resolve(new Text(s.value(), false, s.span())) : s.value();
        switch (s.name()) {
            case "batch" -> session.settings().batch(positive(s, value, 1_000_000_000));
            case "fetch" -> session.settings().fetch(positive(s, value, 1_000_000_000));
            case "parallel" -> session.settings().parallel(value.equalsIgnoreCase("auto") ? Settings.AUTO : positive(s, value, 64));
            case "state" -> session.state(value, s.span());
            case "pushdown" -> session.settings().pushdown(onOff(s, value));
            case "rows" -> session.settings().rows(positive(s, value, 1_000_000));
            case "reconnect" -> session.settings().reconnect(value.equals("0") ? 0 : positive(s, value, 86_400));
            case "rejects" -> session.rejectsPath(path(value));
            case "audit" -> session.auditPath(path(value));
            default -> throw session.error(s.span(), "unknown setting '" + s.name() + "'");
        }
        return StepResult.of(s.name() + " = " + value);
    }

    private Path path(String value) {
        Path p = Path.of(value);
        return p.isAbsolute() ? p : session.options().baseDir().resolve(p).normalize();
    }

    /** The file a {@code set audit|rejects '...'} names, relative to the base directory. */
    static Path path(Session session, Stmt.Set s) {
        String value = s.quoted() ? session.resolve(new Text(s.value(), false, s.span())) : s.value();
        Path p = Path.of(value);
        return p.isAbsolute() ? p : session.options().baseDir().resolve(p).normalize();
    }

    private boolean onOff(Stmt.Set s, String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw session.error(s.span(), s.name() + " takes on or off, not " + value);
        };
    }

    private int positive(Stmt.Set s, String value, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw session.error(s.span(), s.name() + " takes a whole number from 1 to " + max
                + (s.name().equals("parallel") ? " or auto" : "") + ", not " + value);
    }
}
