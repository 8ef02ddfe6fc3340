package dev.mig.run;

import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.db.Database;
import dev.mig.db.RowWriter;
import dev.mig.db.TableReader;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * map: streams the source in key-ordered pages, transforms each row, and upserts the target in
 * batches, committing both sides after each page. Rows that fail go to the rejects file;
 * read = written + rejected, always.
 */
final class MapStep {
    private final Session session;

    MapStep(Session session) {
        this.session = session;
    }

    StepResult run(Stmt.MapTable map) {
        CompiledMap compiled = CompiledMap.compile(session, map);
        session.rememberMap(map);
        session.mapped(map.source());
        History.recordMap(session, map);
        Database from = session.db(map.source());
        Database to = session.db(map.target());
        if (to.readonly()) {
            throw session.error(map.target().span(), "'" + to.name() + "' is connected readonly");
        }
        Evaluator evaluator = session.evaluator();
        String statement = "map " + map.source() + " -> " + map.target();
        long[] counts = new long[4]; // read, rejected by expressions, left out by where, rejected by the database
        RowWriter rowWriter = new RowWriter(to, compiled.target(), compiled.written(), compiled.key(), compiled.mode(),
                (row, reason) -> {
                    counts[3]++;
                    session.rejects().write(map.span().line(), statement, map.target().toString(), keyOf(compiled, row),
                            reason, row);
                }).retryWhenBusy();
        dev.mig.db.BatchWriter writer = dev.mig.db.BatchWriter.forTarget(rowWriter);
        TableReader reader = new TableReader(from, compiled.source());
        boolean inPlaceFrozen;
        try {
            inPlaceFrozen = compiled.inPlace() && dev.mig.db.Capture.installed(to, compiled.target().name());
        } catch (SQLException e) {
            throw session.error(map.span(), to.error("cannot inspect triggers", e).getMessage());
        }
        Progress progress = Progress.of(session, map.span().line());
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
            TableReader.RowHandler handler = row -> {
                if (!selects(compiled, evaluator, row, counts, statement)) {
                    return;
                }
                counts[0]++;
                Map<String, Object> out;
                try {
                    out = compiled.transform(row, evaluator);
                } catch (EvalException e) {
                    counts[1]++;
                    session.rejects().write(map.span().line(), statement, map.source().toString(),
                            keyOf(compiled.source().primaryKey().isEmpty() ? compiled.key() : compiled.source().primaryKey(), row),
                            e.getMessage(), row.values());
                    return;
                }
                writer.add(out);
            };
            TableReader.PageEnd end = lastKey -> {
                if (!prefetch && from.dialect() instanceof dev.mig.db.Sqlite) {
                    // End the page's read transaction before writing: a SQLite transaction that read and
                    // then writes can deadlock with an application's write.
                    from.commit();
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
                listener.update(label, counts[0] + counts[2], total);
                if (to.dialect() instanceof dev.mig.db.Sqlite) {
                    yieldToWriters(); // only writing starves SQLite writers: a reader yields to a PENDING writer anyway
                }
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
        long rejected = counts[1] + counts[3];
        long written = writer.written();
        StringBuilder message = new StringBuilder("read " + counts[0] + ", written " + written + ", rejected " + rejected);
        if (rejected > 0) {
            message.append(" (see ").append(session.rejects().path()).append(')');
        }
        if (counts[2] > 0) {
            message.append("; ").append(counts[2]).append(" rows left out by where");
        }
        message.append(resumed);
        if (counts[0] != written + rejected) {
            throw session.error(map.span(), "counts do not reconcile: " + message);
        }
        return new StepResult(counts[0], written, rejected, null, message.toString());
    }

    /**
     * SQLite writers waiting on a lock poll (sleeping up to 100 ms); without a pause between pages
     * mig would take the lock again first every time and starve the application's writes.
     */
    private static void yieldToWriters() {
        try {
            Thread.sleep(SQLITE_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final long SQLITE_PAUSE_MS = 15;

    private static long count(Database db, dev.mig.db.TableInfo table) throws SQLException {
        try (java.sql.PreparedStatement ps = db.connection().prepareStatement("SELECT count(*) FROM "
                + db.dialect().table(table.name())); java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean selects(CompiledMap compiled, Evaluator evaluator, Row row, long[] counts, String statement) {
        try {
            if (compiled.selects(evaluator, row)) {
                return true;
            }
            counts[2]++;
            return false;
        } catch (EvalException e) {
            // A where that cannot be evaluated for a row: the row is read and rejected, never skipped silently.
            counts[0]++;
            counts[1]++;
            session.rejects().write(compiled.map().span().line(), statement, compiled.map().source().toString(),
                    keyOf(compiled.source().primaryKey(), row), "where: " + e.getMessage(), row.values());
            return false;
        }
    }

    private static Map<String, Object> keyOf(CompiledMap compiled, Map<String, Object> row) {
        Map<String, Object> key = new java.util.LinkedHashMap<>();
        for (String k : compiled.key()) {
            key.put(k, row.get(k));
        }
        return key;
    }

    private static Map<String, Object> keyOf(java.util.List<String> key, Row row) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (String k : key) {
            out.put(k, row.get(k));
        }
        if (out.isEmpty()) {
            out.putAll(row.values());
        }
        return out;
    }
}
