package dev.mig.run.map;

import dev.mig.db.BatchWriter;
import dev.mig.db.Capture;
import dev.mig.db.Database;
import dev.mig.db.TableReader;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.state.Progress;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.util.List;

/**
 * The map streamed through mig: the source in key-ordered pages, each row transformed here, the
 * target upserted in batches, both sides committed after each page (with the key to resume after).
 * Rows that fail go to the rejects file.
 */
final class StreamStrategy {
    private final MapRun run;
    private final Database from;
    private final Database to;

    StreamStrategy(MapRun run, Database from, Database to) {
        this.run = run;
        this.from = from;
        this.to = to;
    }

    StepResult run(String note) {
        Session session = run.session;
        CompiledMap compiled = run.compiled;
        Stmt.MapTable map = run.map;
        RowMapping rows = run.mapping(to);
        BatchWriter writer = rows.writer();
        TableReader reader = new TableReader(from, compiled.source());
        boolean inPlaceFrozen;
        try {
            inPlaceFrozen = compiled.inPlace() && Capture.installed(to, compiled.target().name());
        } catch (SQLException e) {
            throw session.error(map.span(), to.error("cannot inspect triggers", e));
        }
        Progress progress = run.progress;
        String resumed = "";
        try {
            List<Object> after = progress == null ? null : progress.resumeAfter();
            run.countSource(from);
            // A source stored in another order than its key is read as stored (rowid), unless an earlier run read it by key.
            boolean byRowid = !compiled.inPlace() && from != to && RowidOrder.applies(from, compiled.source())
                    && (after == null || RowidOrder.isPosition(after));
            if (byRowid && after != null) {
                List<Object> saved = after;
                after = RowidOrder.resumeAfter(from, compiled.source(), saved);
                resumed = after != null ? "; resumed after " + saved.subList(1, saved.size()) + " (rowid " + after.get(0)
                        + ") committed by an earlier, interrupted run"
                        : RowidOrder.startedAgain(compiled.source());
            } else if (after != null) {
                resumed = "; resumed after key " + after + " committed by an earlier, interrupted run";
            }
            List<String> pageKey = byRowid ? RowidOrder.KEY : reader.pageKey();
            RowidOrder.Positions positions = byRowid ? new RowidOrder.Positions(from, compiled.source()) : null;
            // Another thread reads the source while this one writes, when the source connection is used by nothing else.
            boolean prefetch = from != to && session.connections().state() != from && !compiled.inPlace();
            try (WriteBehind behind = prefetch && WriteBehind.applies(writer, map) ? new WriteBehind() : null) {
                TableReader.RowHandler handler = byRowid ? positions.track(rows::handle) : rows::handle;
                TableReader.PageEnd end = pageLast -> {
                    List<Object> lastKey = byRowid ? positions.after(pageLast) : pageLast;
                    if (behind != null) {
                        behind.pageEnd(writer, lastKey, (batch, key) -> {
                            writer.flush(batch);
                            committed(key);
                        });
                        return;
                    }
                    if (!prefetch) {
                        from.dialect().endReadBeforeWrite(from); // the page's read transaction ends before writing
                    }
                    if (inPlaceFrozen) {
                        // The map's own updates are not queued; writes by applications meanwhile are, and a
                        // replay of this table into itself maps their row images again.
                        Capture.uncaptured(to, compiled.target(), writer::flush);
                    } else {
                        writer.flush();
                    }
                    if (!prefetch && from != to) {
                        to.commit();
                        from.commit(); // ends the read transaction: applications can keep writing to the source
                        saved(lastKey);
                    } else {
                        committed(lastKey);
                    }
                };
                if (prefetch) {
                    Prefetch.pages(reader, from, pageKey, session.settings().batch(), after, handler, end);
                } else {
                    reader.pages(pageKey, session.settings().batch(), after, null, null, handler, end);
                }
                if (behind != null) {
                    behind.await();
                }
            }
            run.finish();
        } catch (SQLException e) {
            throw session.error(map.span(), to.error("map failed", e));
        }
        return run.result(resumed + note);
    }

    /** After a page's writes: commit them, then record the key to resume after. */
    private void committed(List<Object> lastKey) throws SQLException {
        to.commit();
        saved(lastKey);
    }

    private void saved(List<Object> lastKey) throws SQLException {
        if (run.progress != null && lastKey != null) {
            run.progress.save(lastKey);
        }
        run.showProgress();
        to.dialect().yieldToWriters(); // only writing starves SQLite writers: a reader yields to a PENDING writer anyway
    }
}
