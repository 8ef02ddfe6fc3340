package dev.mig.run;

import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.plan.Prelude;
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
        Prelude prelude = Prelude.of(parsed.script());
        try (Session session = new Session(file, options)) {
            for (Stmt.Connect c : prelude.connections()) {
                session.connections().add(Database.open(c.name(), session.resolve(c.url()), true, false));
            }
            // the registry (mig_seen) is where the run keeps mig's state: the run's own rule, on what is there now
            Database registry = prelude.stateConnection(session.connections()::has,
                    n -> session.connections().all().get(n).describe("mig_seen") != null).map(session.connections().all()::get).orElse(null);
            for (Stmt stmt : parsed.script().statements()) {
                if (stmt instanceof Stmt.Archive a && a.selective()) {
                    session.statementStarted(a);
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
