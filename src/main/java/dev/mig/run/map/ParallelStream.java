package dev.mig.run.map;

import dev.mig.db.Database;
import dev.mig.db.TableReader;
import dev.mig.run.map.KeySlices.Slice;
import dev.mig.run.session.ProgressListener;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.run.state.Progress;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code set parallel N} for a map between two connections: the source's key space in N slices,
 * each read, mapped and written by its own worker with its own pair of connections. Each slice
 * keeps its progress (mig_progress_slices) after every page, so a killed run resumes every slice;
 * pages are upserts, so one page written twice after a kill changes nothing.
 */
final class ParallelStream {
    private final Session session;
    private final MapStep step;
    private final CompiledMap compiled;
    private final Database from;
    private final Database to;

    ParallelStream(Session session, MapStep step, CompiledMap compiled, Database from, Database to) {
        this.session = session;
        this.step = step;
        this.compiled = compiled;
        this.from = from;
        this.to = to;
    }

    /** Whether this map can run in slices: a keyed source, another target connection, upserts, a real run. */
    static boolean applies(Session session, CompiledMap compiled, Database from, Database to) {
        return session.parallel() > 1 && from != to && !compiled.inPlace() && !session.dryRun()
                && !compiled.source().primaryKey().isEmpty() && compiled.mode() == dev.mig.db.RowWriter.Mode.UPSERT;
    }

    /** Runs the map in slices, or returns null when an earlier, sequential run must be resumed as it was. */
    StepResult run() {
        var map = compiled.map();
        Progress progress = session.resumable(map.span().line());
        KeySlices slicing = new KeySlices(compiled.source(), compiled.source().primaryKey());
        List<RowMapping> mappings = new ArrayList<>();
        String resumed = "";
        ProgressListener listener = session.progress();
        String label = "map " + map.source() + " -> " + map.target();
        try {
            List<Slice> slices = progress == null ? null : KeySlices.resume(progress);
            if (slices != null && slices.size() == 1) {
                return null; // a sequential run was interrupted: it resumes sequentially
            }
            if (slices != null) {
                resumed = "; resumed where an earlier, interrupted run stopped";
            } else {
                slices = slicing.plan(from, session.parallel());
                if (slices.size() == 1) {
                    return null;
                }
                if (progress != null) {
                    KeySlices.start(progress, slices);
                }
            }
            from.commit();
            long total = listener == ProgressListener.NONE ? -1 : MapStep.count(from, compiled.source());
            long[] done = {0};
            List<Database> connections = new ArrayList<>();
            try {
                List<Workers.Task> tasks = new ArrayList<>();
                for (Slice slice : slices) {
                    Database reader = Database.open(from.name(), from.url(), true, false);
                    connections.add(reader);
                    Database writer = Database.open(to.name(), to.url(), false, false);
                    connections.add(writer);
                    RowMapping rows = new RowMapping(session, compiled, writer);
                    mappings.add(rows);
                    tasks.add(() -> work(slice, reader, writer, rows, progress, () -> {
                        synchronized (done) {
                            done[0] = 0;
                            for (RowMapping m : mappings) {
                                done[0] += m.read + m.leftOut;
                            }
                            listener.update(label, done[0], total);
                        }
                    }));
                }
                Workers.runAll("mig-map-worker", tasks);
            } finally {
                connections.forEach(Database::close);
            }
            if (progress != null) {
                progress.done();
            }
            listener.finish();
        } catch (SQLException e) {
            throw session.error(map.span(), to.error("map failed", e).getMessage());
        }
        long read = 0;
        long written = 0;
        long rejected = 0;
        long leftOut = 0;
        for (RowMapping rows : mappings) {
            read += rows.read;
            written += rows.written();
            rejected += rows.rejected();
            leftOut += rows.leftOut;
        }
        return step.result(map, read, written, rejected, leftOut, "; " + mappings.size() + " workers" + resumed);
    }

    private void work(Slice slice, Database reader, Database writer, RowMapping rows, Progress progress, Runnable tick)
            throws SQLException {
        if (slice.done) {
            return;
        }
        new TableReader(reader, compiled.source()).pages(session.batch(), slice.after, slice.upTo, null, rows::handle, lastKey -> {
            reader.commit(); // ends the read transaction: applications keep writing to the source
            rows.writer().flush();
            writer.commit();
            if (lastKey != null) {
                slice.after = lastKey;
            }
            if (progress != null) {
                synchronized (progress) {
                    progress.advanceSliceOnState(slice.index, KeySlices.keyJson(slice.after), false);
                }
            }
            tick.run();
            writer.dialect().yieldToWriters();
        });
        slice.done = true;
        if (progress != null) {
            synchronized (progress) {
                progress.advanceSliceOnState(slice.index, KeySlices.keyJson(slice.after), true);
            }
        }
    }
}
