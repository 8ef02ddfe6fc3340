package dev.mig.run.lifecycle;

import dev.mig.db.Capture;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;

/** freeze and unfreeze: install and remove the capture triggers of a table. */
public final class FreezeStep implements Step<Stmt.Freeze> {
    private final Session session;

    public FreezeStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Freeze s) {
        Database db = session.connections().db(s.table());
        TableInfo table = session.connections().table(s.table());
        try {
            Capture.install(db, table);
            long seq = Capture.lastSeq(db, table.name());
            return StepResult.of("writes to " + s.table() + " are captured in mig_queue on '" + db.name() + "' from seq "
                    + (seq + 1) + " on; applications keep writing");
        } catch (SQLException | IllegalArgumentException e) {
            throw e instanceof SQLException sql ? session.error(s.span(), db.error("cannot freeze " + s.table(), sql))
                    : session.error(s.span(), e.getMessage(), e);
        }
    }

    StepResult unfreeze(Stmt.Unfreeze s) {
        Database db = session.connections().db(s.table());
        try {
            boolean was = db.describe(s.table().table()) != null && Capture.installed(db, s.table().table());
            Capture.remove(db, s.table().table());
            return StepResult.of(was ? "capture removed; queued writes stay in mig_queue" : "was not frozen");
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("cannot unfreeze " + s.table(), e));
        }
    }

    /** The family's second statement, as a step of its own. */
    public static final class Unfreeze implements Step<Stmt.Unfreeze> {
        private final FreezeStep family;

        public Unfreeze(Session session) {
            this.family = new FreezeStep(session);
        }

        @Override
        public StepResult run(Stmt.Unfreeze s) {
            return family.unfreeze(s);
        }
    }
}
