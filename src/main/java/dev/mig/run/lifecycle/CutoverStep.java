package dev.mig.run.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Values;
import dev.mig.db.Capture;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

/**
 * cutover A.t -> A.u: the switch of a live table to its replacement, in ONE transaction that holds
 * off the applications' writes (they wait, they do not fail): the writes queued since the last replay
 * go through the map, the capture goes, A.t is dropped and A.u takes its name. Nothing an application
 * commits before or during can be lost: before, it is queued and carried over; during, it waits for
 * the lock. After, a write lands in the new table only if it is in the new table's shape: a process
 * of the old release fails, and the step warns when the queue shows one was still writing.
 */
public final class CutoverStep implements Step<Stmt.Cutover> {
    private final Session session;

    public CutoverStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Cutover s) {
        Database db = session.connections().db(s.legacy());
        if (session.connections().db(s.replacement()) != db) {
            throw session.error(s.replacement().span(), "cutover renames " + s.replacement() + " to " + s.legacy().table()
                    + ", so both must be tables of one connection");
        }
        RemoveStep.guard(session, s, s.legacy(), s.force());
        TableInfo legacy = session.connections().table(s.legacy());
        TableInfo replacement = session.connections().table(s.replacement());
        String legacyWriters = legacyWriters(db, legacy, replacement);
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
                + legacy.name() + " (the lock took " + waited + " ms to get; writes waited for the switch)" + legacyWriters);
    }

    /**
     * Writes queued while the table was frozen show an application is still writing it. When they fill a
     * column the new table lacks (mem0 0.0.x writes prev_value), each of that process's writes fails after
     * the switch ("table history has no column named prev_value"): say so. When they fit the new table
     * (mem0 0.1.x), the process keeps working but must not start again on its old release (its start-up
     * check rebuilds a table whose columns it does not know): say that.
     */
    private static String legacyWriters(Database db, TableInfo legacy, TableInfo replacement) {
        Set<String> kept = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        kept.addAll(replacement.columnNames());
        Set<String> gone = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        legacy.columnNames().stream().filter(c -> !kept.contains(c)).forEach(gone::add);
        if (db.describe("mig_queue") == null) {
            return "";
        }
        long writes;
        String last;
        Set<String> filled = new TreeSet<>();
        try {
            try (PreparedStatement ps = db.connection().prepareStatement(
                    "SELECT count(*), max(captured_at) FROM mig_queue WHERE table_name = ? AND op <> 'DELETE'")) {
                ps.setString(1, legacy.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    writes = rs.getLong(1);
                    last = rs.getString(2);
                }
            }
            // the newest writes tell which release writes: the columns they fill that the new table lacks
            try (PreparedStatement ps = db.connection().prepareStatement("SELECT " + db.dialect().asText("row")
                    + " FROM mig_queue WHERE table_name = ? AND op <> 'DELETE' ORDER BY seq DESC LIMIT 1000")) {
                ps.setString(1, legacy.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1) == null) {
                            continue;
                        }
                        JsonNode row = Values.parseJson(rs.getString(1));
                        row.fieldNames().forEachRemaining(f -> {
                            if (gone.contains(f) && !row.get(f).isNull()) {
                                filled.add(f);
                            }
                        });
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            return "";
        }
        if (writes == 0) {
            return "";
        }
        String seen = ". WARNING: " + writes + " writes reached " + legacy.name() + " while it was frozen (the last at " + last
                + "): an application is still writing it";
        return filled.isEmpty()
                ? seen + "; its writes fit the new table, but do not restart it on the release that made the old table: "
                        + "start the current release instead"
                : seen + " with " + String.join(", ", filled) + ", which the new table does not have: from now on each of its "
                        + "writes fails. Stop it now and start the current release";
    }
}
