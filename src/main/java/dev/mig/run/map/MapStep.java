package dev.mig.run.map;

import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.db.Database;
import dev.mig.db.RowWriter;
import dev.mig.db.TableReader;
import dev.mig.run.session.ProgressListener;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.run.state.History;
import dev.mig.run.state.Progress;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * map: streams the source in key-ordered pages, transforms each row, and upserts the target in
 * batches, committing both sides after each page. Rows that fail go to the rejects file;
 * read = written + rejected, always.
 */
public final class MapStep {
    private final Session session;

    public MapStep(Session session) {
        this.session = session;
    }

    public StepResult run(Stmt.MapTable map) {
        CompiledMap compiled = CompiledMap.compile(session, map);
        session.rememberMap(map);
        session.mapped(map.source());
        if (session.state() != null) {
            History.recordMap(session.state(), map);
        }
        Database from = session.db(map.source());
        Database to = session.db(map.target());
        if (to.readonly()) {
            throw session.error(map.target().span(), "'" + to.name() + "' is connected readonly");
        }
        String note = "";
        if (session.pushdown() && from == to && !map.keepExisting()) { // keep-existing compares row by row
            PushedMap pushed = null;
            try {
                pushed = new PushedMap(session, this, compiled, to);
            } catch (dev.mig.pushdown.NotPushable e) {
                note = "; through mig, not as SQL in the database: " + e.getMessage();
            }
            if (pushed != null) {
                return pushed.run();
            }
        }
        return stream(map, compiled, from, to, note);
    }

    /** Every row through mig: key-ordered pages, transformed here, written in batches. */
    StepResult stream(Stmt.MapTable map, CompiledMap compiled, Database from, Database to, String note) {
        if (!map.keepExisting() && ParallelStream.applies(session, compiled, from, to)) {
            StepResult sliced = new ParallelStream(session, this, compiled, from, to).run();
            if (sliced != null) {
                return sliced;
            }
        }
        RowMapping rows = new RowMapping(session, compiled, to);
        dev.mig.db.BatchWriter writer = rows.writer();
        TableReader reader = new TableReader(from, compiled.source());
        boolean inPlaceFrozen;
        try {
            inPlaceFrozen = compiled.inPlace() && dev.mig.db.Capture.installed(to, compiled.target().name());
        } catch (SQLException e) {
            throw session.error(map.span(), to.error("cannot inspect triggers", e).getMessage());
        }
        Progress progress = session.resumable(map.span().line());
        String resumed = "";
        try {
            List<Object> after = progress == null ? null : progress.resumeAfter();
            ProgressListener listener = session.progress();
            long total = listener == ProgressListener.NONE ? -1 : count(from, compiled.source());
            String label = "map " + map.source() + " -> " + map.target();
            if (after != null) {
                resumed = "; resumed after key " + after + " committed by an earlier, interrupted run";
            }
            // Another thread reads the source while this one writes, when the source connection is used by nothing else.
            boolean prefetch = from != to && session.state() != from && !compiled.inPlace();
            TableReader.RowHandler handler = rows::handle;
            TableReader.PageEnd end = lastKey -> {
                if (!prefetch) {
                    from.dialect().endReadBeforeWrite(from); // the page's read transaction ends before writing
                }
                if (inPlaceFrozen) {
                    // The map's own updates are not queued; writes by applications meanwhile are, and a
                    // replay of this table into itself maps their row images again.
                    dev.mig.db.Capture.uncaptured(to, compiled.target(), writer::flush);
                } else {
                    writer.flush();
                }
                to.commit();
                if (!prefetch && from != to) {
                    from.commit(); // ends the read transaction: applications can keep writing to the source
                }
                if (progress != null && lastKey != null) {
                    progress.save(lastKey);
                }
                listener.update(label, rows.read + rows.leftOut, total);
                to.dialect().yieldToWriters(); // only writing starves SQLite writers: a reader yields to a PENDING writer anyway
            };
            if (prefetch) {
                Prefetch.pages(reader, from, session.batch(), after, handler, end);
            } else {
                reader.pages(session.batch(), after, handler, end);
            }
            if (progress != null) {
                progress.done();
            }
            listener.finish();
        } catch (SQLException e) {
            throw session.error(map.span(), to.error("map failed", e).getMessage());
        }
        String kept = rows.alreadyThere > 0 ? "; " + rows.alreadyThere + " rows already in the target with the same values" : "";
        return result(map, rows.read, rows.written(), rows.rejected(), rows.leftOut, kept + resumed + note);
    }

    /** The step's counts, checked: read = written + rejected, always. */
    StepResult result(Stmt.MapTable map, long read, long written, long rejected, long leftOut, String note) {
        StringBuilder message = new StringBuilder("read " + read + ", written " + written + ", rejected " + rejected);
        if (rejected > 0) {
            message.append(" (see ").append(session.rejects().path()).append(')');
        }
        if (leftOut > 0) {
            message.append("; ").append(leftOut).append(" rows left out by where");
        }
        message.append(note);
        if (read != written + rejected) {
            throw session.error(map.span(), "counts do not reconcile: " + message);
        }
        return new StepResult(read, written, rejected, null, message.toString());
    }



    static long count(Database db, dev.mig.db.TableInfo table) throws SQLException {
        try (java.sql.PreparedStatement ps = db.connection().prepareStatement("SELECT count(*) FROM "
                + db.dialect().table(table.name())); java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
