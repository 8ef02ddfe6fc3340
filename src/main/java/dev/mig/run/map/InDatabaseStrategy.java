package dev.mig.run.map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Row;
import dev.mig.data.Timestamps;
import dev.mig.data.Values;
import dev.mig.db.Capture;
import dev.mig.db.Database;
import dev.mig.db.TableReader;
import dev.mig.pushdown.MapSql;
import dev.mig.pushdown.NotPushable;
import dev.mig.pushdown.Translator;
import dev.mig.run.map.KeySlices.Slice;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.state.Progress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A map inside one database, run as set-based SQL per key range (chunk): one statement writes
 * every row whose guards hold, the evaluator takes the rest of the chunk (and all of it when the
 * statement fails), and each chunk commits with its progress, so a killed run resumes after the
 * last chunk. With {@code set parallel N} on PostgreSQL, N connections work on N key slices.
 */
final class InDatabaseStrategy {
    /** Chunks are this many batches: few statements, short enough transactions. */
    private static final int CHUNK_BATCHES = 10;

    private final MapRun run;
    private final Session session;
    private final CompiledMap compiled;
    private final Database db;
    private final MapSql.Statement sql;
    private final KeySlices slicing;
    private long pushed;
    private long chunksThroughMig;
    private String firstSqlError;

    InDatabaseStrategy(MapRun run, Database db) throws NotPushable {
        this.run = run;
        this.session = run.session;
        this.compiled = run.compiled;
        this.db = db;
        this.sql = MapSql.build(compiled, db, Timestamps.format(session.statementStart()));
        this.slicing = new KeySlices(compiled.source(), sql.rangeKey());
        try {
            Translator.prepare(db);
        } catch (SQLException e) {
            throw new NotPushable("cannot prepare " + db.name() + ": " + e.getMessage());
        }
    }

    StepResult run() {
        var map = run.map;
        Progress progress = run.progress;
        String note;
        try {
            boolean frozen = compiled.inPlace() && Capture.installed(db, compiled.target().name());
            run.countSource(db);
            List<Slice> slices = progress == null ? null : KeySlices.resume(progress);
            String resumed = slices == null ? "" : "; resumed where an earlier, interrupted run stopped";
            if (slices == null) {
                slices = plan(frozen);
                if (slices.size() > 1 && progress != null) {
                    KeySlices.start(progress, slices);
                }
            }
            if (slices.size() == 1) {
                work(db, new LeftToMig(db), slices.get(0), slices, progress, frozen);
            } else {
                parallel(slices, progress);
            }
            run.finish();
            note = "; " + pushed + " rows written by SQL in the database"
                    + (slices.size() > 1 ? " on " + slices.size() + " connections" : "")
                    + (chunksThroughMig > 0 ? ", " + chunksThroughMig + " chunks through mig after a SQL error (first: "
                    + firstSqlError + ")" : "") + resumed;
        } catch (SQLException e) {
            throw session.error(map.span(), db.error("map failed", e));
        }
        return run.result(note);
    }

    /** One slice of the whole key range, or N of equal row counts for parallel workers. */
    private List<Slice> plan(boolean frozen) throws SQLException {
        // SQLite has one writer at a time; frozen tables swap triggers per chunk; a dry run never commits
        boolean one = !db.dialect().concurrentWriters() || frozen || session.dryRun();
        return one ? KeySlices.one() : slicing.plan(db, session.settings(), () -> run.sourceRows(db));
    }

    private void parallel(List<Slice> slices, Progress progress) throws SQLException {
        try {
            List<Workers.Task> tasks = new ArrayList<>();
            for (Slice slice : slices) {
                Database worker = run.worker(db, true);
                LeftToMig rows = new LeftToMig(worker);
                tasks.add(() -> work(worker, rows, slice, slices, progress, false));
            }
            Workers.runAll("mig-map-worker", tasks);
        } finally {
            run.close();
        }
    }

    /** The chunks of one slice on one connection, each committed with its progress. */
    private void work(Database on, LeftToMig rows, Slice slice, List<Slice> slices, Progress progress, boolean frozen)
            throws SQLException {
        // one writer at a time (SQLite): a chunk holds the write lock, so there it is one batch, not ten
        int chunk = Math.max(1, session.settings().batch()) * (on.dialect().concurrentWriters() ? CHUNK_BATCHES : 1);
        while (!slice.done) {
            List<Object> hi = slicing.keyAt(on, slice.after, slice.upTo, chunk - 1);
            if (hi == null) {
                hi = slice.upTo;
            }
            on.dialect().endReadBeforeWrite(on); // the chunk's bounds are known: its writes start a new transaction
            if (frozen) {
                Capture.uncaptured(on, compiled.target(), chunkAction(on, rows, slice.after, hi));
            } else {
                chunkAction(on, rows, slice.after, hi).run();
            }
            List<Object> next = hi;
            slice.after = next;
            slice.done = next == null || next.equals(slice.upTo);
            commit(on, slice, slices.size() > 1, progress);
            run.showProgress();
            on.dialect().yieldToWriters();
        }
    }

    /** Commits a chunk and records it: in one transaction when the progress lives in this database. */
    private void commit(Database on, Slice slice, boolean sliced, Progress progress) throws SQLException {
        if (progress == null) {
            on.commit();
        } else if (!sliced) {
            if (session.connections().state() == on) {
                progress.saveRaw(KeySlices.keyJson(slice.after)); // commits the chunk with it
            } else {
                on.commit();
                progress.saveRaw(KeySlices.keyJson(slice.after));
            }
        } else if (progress.keepsSlicesIn(db)) {
            progress.advanceSlice(on.connection(), slice.index, KeySlices.keyJson(slice.after), slice.done);
            on.commit();
        } else {
            on.commit();
            synchronized (progress) {
                progress.advanceSliceOnState(slice.index, KeySlices.keyJson(slice.after), slice.done);
            }
        }
    }

    private Capture.Action<Long> chunkAction(Database on, LeftToMig rows, List<Object> lo, List<Object> hi) {
        return () -> chunk(on, rows, lo, hi);
    }

    /** One key range: the statement, then the rows it left to the evaluator. Returns rows done by SQL. */
    private long chunk(Database on, LeftToMig rows, List<Object> lo, List<Object> hi) throws SQLException {
        if (sql.combined()) {
            return combinedChunk(on, rows, lo, hi);
        }
        Connection c = on.connection();
        Savepoint savepoint = c.setSavepoint();
        long written;
        long left = 0;
        boolean failed = false;
        try {
            written = update(on, sql.sql(), lo, hi);
            if (sql.leftOut() != null) {
                left = countIn(on, sql.leftOut(), lo, hi);
            }
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            c.rollback(savepoint); // e.g. a date SQLite's functions refuse: the evaluator decides row by row
            written = 0;
            failed = true;
            noteError(e);
        }
        synchronized (this) {
            pushed += written;
            if (failed) {
                chunksThroughMig++;
            }
        }
        run.bySql(written, left);
        new TableReader(on, compiled.source()).pages(session.settings().batch(), lo, hi, failed ? null : sql.evaluatorRows(),
                rows::handle, lastKey -> rows.flush());
        rows.flush();
        return written + left;
    }

    /** PostgreSQL: one query writes the chunk and returns the counts and the keys left to the evaluator. */
    private long combinedChunk(Database on, LeftToMig rows, List<Object> lo, List<Object> hi) throws SQLException {
        Connection c = on.connection();
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL work_mem = '64MB'"); // the chunk's working set stays in memory; ends with the transaction
        }
        Savepoint savepoint = c.setSavepoint();
        long written = 0;
        long left = 0;
        String keys = null;
        boolean failed = false;
        try (PreparedStatement ps = c.prepareStatement(sql.sql().replace("?RANGE", slicing.range(on, lo, hi)))) {
            slicing.bindRange(on, ps, 1, lo, hi);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                written = rs.getLong(1);
                left = rs.getLong(2);
                keys = rs.getString(3);
            }
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            c.rollback(savepoint); // e.g. a date PostgreSQL refuses: the evaluator decides row by row
            failed = true;
            written = 0;
            left = 0;
            noteError(e);
        }
        synchronized (this) {
            pushed += written;
            if (failed) {
                chunksThroughMig++;
            }
        }
        run.bySql(written, left);
        TableReader reader = new TableReader(on, compiled.source());
        if (failed) {
            reader.pages(session.settings().batch(), lo, hi, null, rows::handle, lastKey -> rows.flush());
        } else if (keys != null) {
            List<List<Object>> list = new ArrayList<>();
            for (JsonNode k : Values.parseJson(keys)) {
                list.add(KeySlices.keyOf(k));
            }
            reader.byKeys(slicing.key(), list, rows::handle);
        }
        rows.flush();
        return written + left;
    }

    private synchronized void noteError(SQLException e) {
        if (firstSqlError == null) {
            String message = Database.rootMessage(e);
            int newline = message.indexOf('\n');
            firstSqlError = newline > 0 ? message.substring(0, newline) : message;
        }
    }

    private long update(Database on, String statement, List<Object> lo, List<Object> hi) throws SQLException {
        try (PreparedStatement ps = on.connection().prepareStatement(statement.replace("?RANGE", slicing.range(on, lo, hi)))) {
            slicing.bindRange(on, ps, 1, lo, hi);
            return ps.executeLargeUpdate();
        }
    }

    private long countIn(Database on, String condition, List<Object> lo, List<Object> hi) throws SQLException {
        String q = "SELECT count(*) FROM " + on.dialect().table(compiled.source().name()) + " WHERE " + condition + " AND "
                + slicing.range(on, lo, hi);
        try (PreparedStatement ps = on.connection().prepareStatement(q)) {
            slicing.bindRange(on, ps, 1, lo, hi);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The rows a chunk leaves to mig on one connection, mapped through a RowMapping made for the first of
     * them: a map the SQL does whole never sets up a writer, a fast path or the empty-target check.
     */
    private final class LeftToMig {
        private final Database target;
        private RowMapping rows;

        LeftToMig(Database target) {
            this.target = target;
        }

        void handle(Row row) throws SQLException {
            if (rows == null) {
                rows = run.mapping(target);
            }
            rows.handle(row);
        }

        void flush() throws SQLException {
            if (rows != null) {
                rows.writer().flush();
            }
        }
    }
}
