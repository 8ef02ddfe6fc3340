package dev.mig.run.lifecycle;

import dev.mig.db.Capture;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * cutover A.t -> A.u: the switch of a live table to its replacement, in ONE transaction that holds
 * off the applications' writes (they wait, they do not fail): the writes queued since the last replay
 * go through the map, the capture goes, A.t is dropped and A.u takes its name. Nothing an application
 * commits before, during or after can be lost: before, it is queued and carried over; during, it
 * waits for the lock; after, it lands in the new table.
 */
public final class CutoverStep {
    private final Session session;

    public CutoverStep(Session session) {
        this.session = session;
    }

    public StepResult run(Stmt.Cutover s) {
        Database db = session.db(s.legacy());
        if (session.db(s.replacement()) != db) {
            throw session.error(s.replacement().span(), "cutover renames " + s.replacement() + " to " + s.legacy().table()
                    + ", so both must be tables of one connection");
        }
        RemoveStep.guard(session, s, s.legacy(), s.force());
        TableInfo legacy = session.table(s.legacy());
        TableInfo replacement = session.table(s.replacement());
        long waited;
        String carried;
        try {
            db.commit(); // nothing read before is carried into the switch's transaction
            long start = System.nanoTime();
            try (Statement st = db.connection().createStatement()) {
                db.dialect().lockAgainstWriters(st, legacy.name()); // applications' writes wait from here to the commit
            }
            waited = (System.nanoTime() - start) / 1_000_000;
            carried = db.describe("mig_queue") == null ? "nothing queued"
                    : new ReplayStep(session).carryOver(new Stmt.Replay(s.legacy(), s.replacement(), s.span())).message();
            Capture.remove(db, legacy.name());
            try (Statement st = db.connection().createStatement()) {
                st.execute("DROP TABLE " + db.dialect().table(legacy.name()));
                st.execute("ALTER TABLE " + db.dialect().table(replacement.name()) + " RENAME TO " + db.dialect().quote(legacy.name()));
            }
            db.schemaChanged();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw session.error(s.span(), db.error("cutover failed and was rolled back, nothing changed", e));
        } catch (RuntimeException e) {
            db.rollback();
            throw e;
        }
        return StepResult.of(carried + "; capture removed; " + s.legacy() + " dropped; " + s.replacement() + " renamed to "
                + legacy.name() + " (the lock took " + waited + " ms to get; applications' writes waited for the switch, none failed)");
    }
}
