package dev.mig.run.map;

import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.db.BatchWriter;
import dev.mig.db.Database;
import dev.mig.db.EmptyAtStart;
import dev.mig.db.RowWriter;
import dev.mig.run.session.Session;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A map's work on rows that pass through mig, for one target connection: where, transform,
 * batched writes, rejects, and the counts that must reconcile (read = written + rejected).
 */
final class RowMapping {
    private final Session session;
    private final CompiledMap compiled;
    private final Evaluator evaluator;
    private final BatchWriter writer;
    private final String statement;
    private final ExistingRows existing;
    /** The fast path for rows of plain shapes, or null when a line of the map has another shape. */
    private final DirectRows direct;
    long read;
    /** on conflict keep: rows whose key the target already holds with the same values. */
    long alreadyThere;
    long rejectedByExpressions;
    long leftOut;
    long rejectedByDatabase;

    RowMapping(Session session, CompiledMap compiled, Database to, EmptyAtStart emptyAtStart) {
        this.session = session;
        this.compiled = compiled;
        this.evaluator = session.evaluator();
        this.statement = "map " + compiled.map().source() + " -> " + compiled.map().target();
        RowWriter rowWriter = new RowWriter(to, compiled.target(), compiled.written(), compiled.key(), compiled.mode(),
                (row, reason) -> {
                    rejectedByDatabase++;
                    reject(compiled.map().target().toString(), keyOf(compiled.key(), row), reason, row);
                }).retryWhenBusy();
        this.writer = BatchWriter.forTarget(rowWriter, emptyAtStart);
        this.existing = compiled.map().keepExisting() ? new ExistingRows(to, compiled.target(), compiled.key(), compiled.written())
                : null;
        // no fast path (nor its class loaded) for a writer that takes no encoded rows: SQLite, text COPY
        this.direct = writer.takesEncoded() ? DirectRows.of(compiled, rowWriter.columns(), evaluator) : null;
    }

    BatchWriter writer() {
        return writer;
    }

    long written() {
        return writer.written();
    }

    long rejected() {
        return rejectedByExpressions + rejectedByDatabase;
    }

    void handle(Row row) throws SQLException {
        if (direct != null && direct.add(row, writer)) {
            read++; // a map with a fast path has no where
            return;
        }
        if (!selects(row)) {
            return;
        }
        read++;
        Map<String, Object> out;
        try {
            out = compiled.transform(row, evaluator);
        } catch (EvalException e) {
            rejectedByExpressions++;
            reject(compiled.map().source().toString(), sourceKey(row), e.getMessage(), row.values());
            return;
        }
        if (existing != null) {
            ExistingRows.Found found = existing.lookUp(out);
            if (found instanceof ExistingRows.Same) {
                read--;
                alreadyThere++;
                return;
            }
            if (found instanceof ExistingRows.Differs differs) {
                rejectedByExpressions++;
                reject(compiled.map().source().toString(), sourceKey(row), differs.reason(), row.values());
                return;
            }
        }
        writer.add(out);
    }

    private boolean selects(Row row) {
        try {
            if (compiled.selects(evaluator, row)) {
                return true;
            }
            leftOut++;
            return false;
        } catch (EvalException e) {
            // A where that cannot be evaluated for a row: the row is read and rejected, never skipped silently.
            read++;
            rejectedByExpressions++;
            reject(compiled.map().source().toString(), sourceKey(row), "where: " + e.getMessage(), row.values());
            return false;
        }
    }

    private void reject(String table, Map<String, Object> key, String reason, Map<String, Object> row) {
        synchronized (session.outputs().rejects()) { // workers of a parallel map share the file
            session.outputs().rejects().write(compiled.map().span().line(), statement, table, key, reason, row);
        }
    }

    private Map<String, Object> sourceKey(Row row) {
        List<String> key = compiled.source().primaryKey().isEmpty() ? compiled.key() : compiled.source().primaryKey();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : key) {
            out.put(k, row.get(k));
        }
        if (out.isEmpty()) {
            out.putAll(row.values());
        }
        return out;
    }

    private static Map<String, Object> keyOf(List<String> key, Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : key) {
            out.put(k, row.get(k));
        }
        return out;
    }
}
