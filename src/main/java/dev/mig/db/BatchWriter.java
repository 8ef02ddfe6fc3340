package dev.mig.db;

import java.sql.SQLException;
import java.util.Map;

/** Writes rows to a table in batches; {@link RowWriter} row by row, {@link PgCopyWriter} through COPY. */
public interface BatchWriter {
    /** Queues a row (values by column name, already converted for the columns). */
    void add(Map<String, Object> row) throws SQLException;

    /** How many rows are queued. */
    int pending();

    /** Writes the queued rows; returns how many were written. */
    long flush() throws SQLException;

    /** Rows written so far. */
    long written();

    /** A writer for the map's target: COPY into PostgreSQL, batched statements elsewhere. */
    static BatchWriter forTarget(RowWriter rows) {
        return rows.database().dialect() instanceof Postgres ? new PgCopyWriter(rows) : rows;
    }
}
