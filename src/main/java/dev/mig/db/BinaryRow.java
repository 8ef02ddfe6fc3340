package dev.mig.db;

import dev.mig.db.internal.CopyBinary;

/**
 * One row written straight into a binary COPY batch, column by column in the writer's column order, by a
 * caller that knows its values' shapes (a map's fast path: run/map/DirectRows). A put that returns false
 * has no exact binary form for its value; the writer then drops the row's bytes and the caller sends the
 * row the ordinary way ({@link BatchWriter#add}), which decides as it always did.
 */
public interface BinaryRow {
    /** The binary kind of a column's values ("text", "timestamptz", "integer", ...), or null when it has none here. */
    static String kind(Column column) {
        return CopyBinary.kind(column);
    }

    void putNull();

    /** Text as its UTF-8; false for a NUL character (PostgreSQL refuses it, and the ordinary path says why). */
    boolean putText(String text);

    /** Text upper-cased (what upper() makes of it) when it is all ASCII, NUL excepted; false otherwise. */
    boolean putUpperAscii(String text);

    /** A time as microseconds since 2000-01-01 UTC; false when finer than a microsecond or outside years 1-9999. */
    boolean putTime(long epochSecond, int nanos);

    /** An integer for a column of {@code kind} integer, bigint or smallint; false outside that kind's range. */
    boolean putInteger(String kind, long value);
}
