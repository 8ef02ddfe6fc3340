package dev.mig.db;

import dev.mig.db.internal.PgCopyWriter;
import dev.mig.db.internal.Postgres;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Predicate;

/** Writes rows to a table in batches; {@link RowWriter} row by row, {@link PgCopyWriter} through COPY. */
public interface BatchWriter {
    /** Queues a row (values by column name, already converted for the columns). */
    void add(Map<String, Object> row) throws SQLException;

    /**
     * Queues a row its caller encodes itself into binary COPY ({@link BinaryRow}, in {@link RowWriter#columns()} order),
     * with {@code row} giving its values only if the batch needs them (text COPY, a merge, a row refused).
     * False when this writer or its current batch takes no binary rows, or the encoder declined: nothing
     * was queued, and {@link #add} is the way.
     */
    default boolean addEncoded(Map<String, Object> row, Predicate<BinaryRow> encoder) {
        return false;
    }

    /** Whether {@link #addEncoded} can ever take a row (binary COPY); a caller that encodes rows asks once. */
    default boolean takesEncoded() {
        return false;
    }

    /** How many rows are queued. */
    int pending();

    /** Writes the queued rows; returns how many were written. */
    long flush() throws SQLException;

    /** Rows written so far. */
    long written();

    /** Queued rows taken out of a writer, to be written while the next batch is queued. */
    interface Batch {
    }

    /** Whether {@link #detach()} can hand batches over (else only {@link #flush()} writes). */
    default boolean detaches() {
        return false;
    }

    /**
     * Takes the queued rows out for {@link #flush(Batch)}, which may then run on another thread while add()
     * queues the next batch; the caller lets that flush end before it detaches again.
     */
    default Batch detach() {
        throw new UnsupportedOperationException("this writer writes in place");
    }

    /** Writes a batch {@link #detach()} took out; returns how many rows were written. */
    default long flush(Batch batch) throws SQLException {
        throw new UnsupportedOperationException("this writer writes in place");
    }

    /**
     * A writer for the map's target: COPY into PostgreSQL, batched statements elsewhere. The writers of one
     * map share {@code emptyAtStart}.
     */
    static BatchWriter forTarget(RowWriter rows, EmptyAtStart emptyAtStart) {
        return rows.database().dialect() instanceof Postgres ? new PgCopyWriter(rows, emptyAtStart) : rows;
    }
}
