package dev.mig.run;

import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Setting;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Text;
import java.nio.file.Path;

/** set: execution settings for the statements that follow. */
final class SetStep implements Step<Stmt.Set> {
    private final Session session;

    SetStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Set s) {
        String value = s.quoted() ? session.resolve(new Text(s.value(), false, s.span())) : s.value();
        Setting setting = Setting.named(s.name()).orElseThrow(() -> session.error(s.span(), "unknown setting '" + s.name() + "'"));
        switch (setting) {
            case BATCH -> session.settings().batch(number(s, setting, value));
            case FETCH -> session.settings().fetch(number(s, setting, value));
            case PARALLEL -> session.settings().parallel(number(s, setting, value));
            case ROWS -> session.settings().rows(number(s, setting, value));
            case RECONNECT -> session.settings().reconnect(number(s, setting, value));
            case PUSHDOWN -> {
                Boolean on = Setting.onOff(value);
                if (on == null) {
                    throw session.error(s.span(), s.name() + " takes on or off, not " + value);
                }
                session.settings().pushdown(on);
            }
            case STATE -> session.connections().keepStateOn(value, s.span());
            case REJECTS -> session.outputs().rejectsPath(path(value));
            case AUDIT -> session.outputs().auditPath(path(value));
        }
        return StepResult.of(s.name() + " = " + value);
    }

    private int number(Stmt.Set s, Setting setting, String value) {
        Integer n = setting.number(value);
        if (n == null) {
            throw session.error(s.span(), setting.word() + " takes " + setting.description() + ", not " + value);
        }
        return n;
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
}
