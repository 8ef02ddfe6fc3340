package dev.mig.run.map;

import dev.mig.db.BatchWriter;
import dev.mig.run.session.Handoff;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Exprs;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes each page's batch on a thread of its own while the next page is mapped and encoded: the
 * database's side of COPY (WAL, TOAST, index) and mig's work overlap instead of taking turns. At most
 * one batch is in flight; the next page end waits for it, so its failure (a refused connection, a lost
 * server) stops the map there, and the key saved for a resume is always that of a committed page. The
 * target connection is used by the writing thread only, until the map ends.
 */
final class WriteBehind implements AutoCloseable {
    /** What is done with a page once mapped: write its batch, commit, record the key to resume after. */
    interface PageWrite {
        void write(BatchWriter.Batch batch, List<Object> lastKey) throws SQLException;
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mig-writer");
        t.setDaemon(true);
        return t;
    });
    private Future<?> inFlight;

    /**
     * Whether a map may write behind: its writer can hand batches over, nothing else of the map touches the
     * target while it is mapped (no lookups of existing rows, no in (select ...) read during the map).
     */
    static boolean applies(BatchWriter writer, Stmt.MapTable map) {
        return writer.detaches() && !map.keepExisting() && !readsTables(map);
    }

    private static boolean readsTables(Stmt.MapTable map) {
        List<Expr> roots = new ArrayList<>();
        for (Stmt.MapLine line : map.lines()) {
            roots.add(line.source());
            if (line.fallback() != null) {
                roots.add(line.fallback());
            }
        }
        if (map.where() != null) {
            roots.add(map.where());
        }
        boolean[] found = {false};
        for (Expr root : roots) {
            Exprs.walk(root, e -> found[0] |= e instanceof Expr.In in && in.select() != null);
        }
        return found[0];
    }

    /** Waits for the batch in flight, then hands this page's batch to the writing thread. */
    void pageEnd(BatchWriter writer, List<Object> lastKey, PageWrite write) throws SQLException {
        await();
        BatchWriter.Batch batch = writer.detach();
        inFlight = thread.submit(() -> {
            write.write(batch, lastKey);
            return null;
        });
    }

    /** Waits for the batch in flight; its failure is thrown here. */
    void await() throws SQLException {
        Future<?> f = inFlight;
        if (f == null) {
            return;
        }
        inFlight = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch was written", e);
        } catch (ExecutionException e) {
            throw Handoff.rethrow(e.getCause());
        }
    }

    /** Lets a batch in flight end (the target connection is free after), whatever happened to the map. */
    @Override
    public void close() {
        try {
            await();
        } catch (SQLException | RuntimeException ignored) {
            // the map already failed, and says why; this batch's failure is the same lost connection or none
        } finally {
            thread.shutdownNow();
        }
    }
}
