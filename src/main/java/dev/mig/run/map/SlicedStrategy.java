package dev.mig.run.map;

import dev.mig.db.Database;
import dev.mig.db.RowWriter;
import dev.mig.db.TableReader;
import dev.mig.run.map.KeySlices.Slice;
import dev.mig.run.session.Session;
import dev.mig.run.session.Settings;
import dev.mig.run.session.StepResult;
import dev.mig.state.Progress;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A map between two connections in key slices ({@code set parallel N}, or mig's choice for large tables): the source's key space in N slices,
 * each read, mapped and written by its own worker with its own pair of connections. Each slice
 * keeps its progress (mig_progress_slices) after every page, so a killed run resumes every slice;
 * pages are upserts, so one page written twice after a kill changes nothing.
 */
final class SlicedStrategy {
    private final MapRun run;
    private final Session session;
    private final CompiledMap compiled;
    private final Database from;
    private final Database to;

    SlicedStrategy(MapRun run, Database from, Database to) {
        this.run = run;
        this.session = run.session;
        this.compiled = run.compiled;
        this.from = from;
        this.to = to;
    }

    /**
     * Whether this map can run in slices: a keyed source, another target connection, upserts, a real run;
     * with nothing set, only into a database that takes concurrent writers (not SQLite: its writers queue).
     */
    static boolean applies(Session session, CompiledMap compiled, Database from, Database to) {
        Settings settings = session.settings();
        boolean wanted = settings.parallel() == Settings.AUTO ? to.dialect().concurrentWriters() : settings.parallel() > 1;
        return wanted && from != to && !compiled.inPlace() && !session.dryRun()
                && !compiled.source().primaryKey().isEmpty() && compiled.mode() == RowWriter.Mode.UPSERT;
    }

    /** Runs the map in slices, or returns null when an earlier, sequential run must be resumed as it was. */
    StepResult run() {
        var map = run.map;
        Progress progress = run.progress;
        KeySlices slicing = new KeySlices(compiled.source(), compiled.source().primaryKey());
        String resumed = "";
        int workers;
        try {
            List<Slice> slices = progress == null ? null : KeySlices.resume(progress);
            if (slices != null && slices.size() == 1) {
                return null; // a sequential run was interrupted: it resumes sequentially
            }
            // A source stored in another order than its key is read as stored (rowid ranges), unless an earlier run read it by key.
            boolean byRowid = RowidOrder.applies(from, compiled.source())
                    && (slices == null || slices.stream().anyMatch(s -> RowidOrder.isPosition(s.upTo) || RowidOrder.isPosition(s.after)));
            if (slices != null) {
                resumed = "; resumed where an earlier, interrupted run stopped";
            } else {
                slices = byRowid ? rowidPlan() : slicing.plan(from, session.settings(), () -> run.sourceRows(from));
                if (slices.size() == 1) {
                    return null;
                }
                if (progress != null) {
                    KeySlices.start(progress, slices);
                }
            }
            if (byRowid && resumed.length() > 0 && !RowidOrder.stillHold(from, compiled.source(), slices)) {
                resumed = RowidOrder.startedAgain(compiled.source());
            }
            from.commit();
            run.countSource(from);
            List<Workers.Task> tasks = new ArrayList<>();
            for (Slice slice : slices) {
                Database reader = run.worker(from, false);
                Database writer = run.worker(to, true);
                RowMapping rows = run.mapping(writer);
                tasks.add(() -> work(slice, byRowid, reader, writer, rows, progress, run::showProgress));
            }
            workers = tasks.size();
            try {
                Workers.runAll("mig-map-worker", tasks);
            } finally {
                run.close();
            }
            run.finish();
        } catch (SQLException e) {
            throw session.error(map.span(), to.error("map failed", e));
        }
        return run.result("; " + workers + " workers" + resumed);
    }

    /** Rowid ranges, as many as the settings give for the row count (one: the map streams instead). */
    private List<Slice> rowidPlan() throws SQLException {
        Settings settings = session.settings();
        if (!settings.mayParallel()) {
            return KeySlices.one();
        }
        int workers = settings.workersFor(run.sourceRows(from));
        return workers <= 1 ? KeySlices.one() : RowidOrder.plan(from, compiled.source(), workers);
    }

    private void work(Slice slice, boolean byRowid, Database reader, Database writer, RowMapping rows,
                      Progress progress, Runnable tick) throws SQLException {
        if (slice.done) {
            return;
        }
        List<Object> after = slice.after;
        List<Object> upTo = slice.upTo;
        List<String> key = compiled.source().primaryKey();
        RowidOrder.Positions positions = byRowid ? new RowidOrder.Positions(reader, compiled.source()) : null;
        if (byRowid) {
            after = RowidOrder.rowid(after);
            upTo = RowidOrder.rowid(upTo);
            key = RowidOrder.KEY;
        }
        TableReader.RowHandler handler = byRowid ? positions.track(rows::handle) : rows::handle;
        new TableReader(reader, compiled.source()).pages(key, session.settings().batch(), after, upTo, null, handler, pageLast -> {
            reader.commit(); // ends the read transaction: applications keep writing to the source
            rows.writer().flush();
            writer.commit();
            if (pageLast != null) {
                slice.after = byRowid ? positions.after(pageLast) : pageLast;
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
