package dev.mig.run;

import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.db.DatabaseException;
import dev.mig.run.session.RunException;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement lost its connection (PostgreSQL restarted, failed over, or an administrator terminated
 * the backend): open every dead connection again, waiting longer between tries (0.25 s doubling to 5 s)
 * for at most {@code set reconnect} seconds. The statement is then run again: each is atomic or
 * resumes after the last key it committed. What happened is one output line and one audit entry; when
 * the window passes, the failure is audited once the state connection answers again (or in the audit
 * file alone, saying so).
 */
final class Reconnect {
    private final Session session;

    Reconnect(Session session) {
        this.session = session;
    }

    /** True when every lost connection is back; false (the failure audited) when the window passed. */
    boolean run(Stmt stmt, RunException lost) {
        int window = session.settings().reconnect();
        String state = DatabaseException.stateOf(lost);
        String reason = (state == null ? "" : "SQLSTATE " + state + ": ") + Database.rootMessage(lost);
        Instant start = Instant.now();
        Instant deadline = start.plusSeconds(window);
        List<String> names = new ArrayList<>();
        long delay = 250;
        int tries = 0;
        String last = reason;
        while (window > 0) {
            tries++;
            try {
                names.clear();
                boolean all = true;
                for (Database db : session.connections().all().values()) {
                    if (!db.alive()) {
                        if (!db.reconnectable()) {
                            all = false;
                            break;
                        }
                        db.reconnect();
                        names.add("'" + db.name() + "'");
                    }
                }
                if (!all) {
                    break;
                }
                long ms = Duration.between(start, Instant.now()).toMillis();
                String what = "connection" + (names.size() == 1 ? " " : "s ") + (names.isEmpty() ? "(none dead)" : String.join(", ", names))
                        + " lost (" + reason + "); reconnected after " + tries + (tries == 1 ? " try" : " tries") + " in "
                        + Summary.duration(ms) + "; running the statement again (it resumes after what it committed)";
                session.out().line("line " + stmt.span().line() + ": " + what);
                session.outputs().record(stmt, session.version(), StepResult.of(what), "reconnected", reason, start, ms);
                return true;
            } catch (MigException e) {
                last = Database.rootMessage(e);
                if (Instant.now().plusMillis(delay).isAfter(deadline)) {
                    break;
                }
                sleep(delay);
                delay = Math.min(delay * 2, 5_000);
            }
        }
        long ms = Duration.between(start, Instant.now()).toMillis();
        String failed = "connection lost (" + reason + ") and not back within " + window + " s (set reconnect; " + tries
                + " tries, last: " + last + ")";
        session.out().line("line " + stmt.span().line() + ": " + failed);
        try {
            session.outputs().record(stmt, session.version(), StepResult.of(null), "failed", failed, start, ms);
        } catch (RuntimeException auditFailed) {
            session.out().line("line " + stmt.span().line() + ": the failure is in the audit file only: "
                    + Database.rootMessage(auditFailed));
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigException("interrupted while reconnecting", e);
        }
    }
}
