package dev.mig.run;

import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.resolve.RunOptions;
import dev.mig.run.lifecycle.PolicyStep;
import dev.mig.run.session.Session;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mig plan --due}: for each retention policy of a script, how many rows it would archive and remove
 * if it ran now - read through read-only connections, nothing written (no index, no registry entry).
 */
public final class DueNow {
    private DueNow() {
    }

    /** One line per policy ("line N: due now: ..."), or why it cannot be told. */
    public static List<String> report(String file, String text, RunOptions options) {
        List<String> out = new ArrayList<>();
        ParseResult parsed = Syntax.parse(file, text);
        if (!parsed.ok()) {
            return out;
        }
        String stateName = null;
        try (Session session = new Session(file, options)) {
            for (Stmt stmt : parsed.script().statements()) {
                if (stmt instanceof Stmt.Connect c) {
                    session.addConnection(Database.open(c.name(), session.resolve(c.url()), true, false));
                } else if (stmt instanceof Stmt.Set s && s.name().equalsIgnoreCase("state")) {
                    stateName = s.value();
                } else if (stmt instanceof Stmt.Archive a && a.selective()) {
                    session.statementStarted(a);
                    Database registry = stateName == null ? null : session.connections().get(stateName);
                    try {
                        out.add("line " + a.span().line() + ": " + PolicyStep.due(session, a, registry));
                    } catch (MigException e) {
                        out.add("line " + a.span().line() + ": cannot tell: " + e.getMessage());
                    }
                }
            }
        } catch (MigException e) {
            out.add("cannot tell what is due: " + e.getMessage());
        }
        return out;
    }
}
