package dev.mig.run.map;

import dev.mig.db.Database;
import dev.mig.db.EmptyAtStart;
import dev.mig.db.TableInfo;
import dev.mig.run.session.ProgressListener;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.state.Progress;
import dev.mig.syntax.Stmt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a map, whichever strategy moves its rows (stream, key slices, in the database): the
 * label and progress it reports, where it resumes from, the row mappings of its workers, the worker
 * connections it opened, and the counts it ends with (read = written + rejected, always).
 */
final class MapRun implements AutoCloseable {
    final Session session;
    final CompiledMap compiled;
    final Stmt.MapTable map;
    final String label;
    final ProgressListener listener;
    /** mig_progress of this map, or null when it cannot be kept (dry run, no state connection). */
    final Progress progress;
    private final List<RowMapping> mappings = new ArrayList<>();
    private final List<Database> workers = new ArrayList<>();
    /** One answer for all the workers' writers: was the target empty before this map wrote? */
    private final EmptyAtStart emptyAtStart = new EmptyAtStart();
    private long total = -1;
    private long sourceRows = -1;
    private long readBySql;
    private long leftOutBySql;

    MapRun(Session session, CompiledMap compiled) {
        this.session = session;
        this.compiled = compiled;
        this.map = compiled.map();
        this.label = "map " + map.source() + " -> " + map.target();
        this.listener = session.progress();
        this.progress = session.resumable(map.span().line());
    }

    /** A row mapping that writes to {@code target}; its counts are part of the result. */
    synchronized RowMapping mapping(Database target) {
        RowMapping rows = new RowMapping(session, compiled, target, emptyAtStart);
        mappings.add(rows);
        return rows;
    }

    /** Another connection to {@code db} for a worker, closed when the run ends. */
    synchronized Database worker(Database db, boolean writes) {
        Database c = writes ? db.anotherWriter() : db.anotherReader();
        workers.add(c);
        return c;
    }

    /** Counts the source rows for the progress display (skipped when nobody watches). */
    void countSource(Database db) throws SQLException {
        if (listener != ProgressListener.NONE) {
            total = sourceRows(db);
        }
    }

    /** The source's row count, counted once for this map: progress and the choice of slices both use it. */
    long sourceRows(Database db) throws SQLException {
        if (sourceRows < 0) {
            sourceRows = count(db, compiled.source());
        }
        return sourceRows;
    }

    /** Rows done so far, over every mapping and the rows written by SQL. */
    synchronized void showProgress() {
        long done = readBySql + leftOutBySql;
        for (RowMapping m : mappings) {
            done += m.read + m.leftOut;
        }
        listener.update(label, done, total);
    }

    /** Rows written (and left out by the where) by SQL in the database, outside any mapping. */
    synchronized void bySql(long written, long leftOut) {
        readBySql += written;
        leftOutBySql += leftOut;
    }

    /** The map is done: its progress row goes, the display ends. */
    void finish() throws SQLException {
        if (progress != null) {
            progress.done();
        }
        listener.finish();
    }

    /** The step's counts, checked: read = written + rejected, always. */
    synchronized StepResult result(String note) {
        long read = readBySql;
        long written = readBySql;
        long rejected = 0;
        long leftOut = leftOutBySql;
        long already = 0;
        for (RowMapping rows : mappings) {
            read += rows.read;
            written += rows.written();
            rejected += rows.rejected();
            leftOut += rows.leftOut;
            already += rows.alreadyThere;
        }
        StringBuilder message = new StringBuilder("read " + read + ", written " + written + ", rejected " + rejected);
        if (rejected > 0) {
            message.append(" (see ").append(session.outputs().rejects().path()).append(')');
        }
        if (leftOut > 0) {
            message.append("; ").append(leftOut).append(" rows left out by where");
        }
        if (already > 0) {
            message.append("; ").append(already).append(" rows already in the target with the same values");
        }
        message.append(note);
        if (read != written + rejected) {
            throw session.error(map.span(), "counts do not reconcile: " + message);
        }
        return new StepResult(read, written, rejected, null, message.toString());
    }

    @Override
    public synchronized void close() {
        workers.forEach(Database::close); // every chunk committed already; anything open is a failed one's
        workers.clear();
    }

    static long count(Database db, TableInfo table) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT count(*) FROM " + db.dialect().table(table.name()));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
