package dev.mig.db.internal;

import dev.mig.db.BatchWriter;
import dev.mig.db.BinaryRow;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.EmptyAtStart;
import dev.mig.db.RowWriter;
import dev.mig.data.LogicalType;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes to PostgreSQL through the COPY protocol: each batch is streamed into a temporary
 * all-text staging table, then merged into the target with one set-based statement (upsert by key,
 * the last row of a key winning, or UPDATE ... FROM for in-place maps). A batch the database refuses
 * is written again row by row, so only the bad rows are rejected.
 */
public final class PgCopyWriter implements BatchWriter {
    private final RowWriter rows;
    private final Database db;
    private final List<Column> columns;
    private final List<Column> key;
    private final String stage;
    /** Batches that went in as binary COPY, in this process (what a test checks the binary path ran by). */
    public static final AtomicLong BINARY_BATCHES = new AtomicLong();
    /** Binary COPY where every column has a binary form (uuid, vector, jsonb, text, ...): used for direct loads. */
    private final boolean binaryEligible;
    /** The batch add() fills, and the other one (idle, or being written by {@link #flush(BatchWriter.Batch)}). */
    private Pending current = new Pending();
    private Pending other = new Pending();
    private String mergeSql;
    private volatile long written;
    /** True while the target was empty when the map began and no batch has collided: COPY goes straight in. */
    private volatile Boolean direct;
    /** Whether the target was empty when the map began, shared by all the map's writers. */
    private final EmptyAtStart emptyAtStart;

    /** Queued rows and their encoding: binary COPY, or text COPY (the merge path, or a value without a binary form). */
    private static final class Pending implements BatchWriter.Batch {
        final List<Map<String, Object>> rows = new ArrayList<>();
        final CopyText text = new CopyText();
        final CopyBinary binary = new CopyBinary();
        /** True while the rows are encoded in {@link #binary} (not {@link #text}). */
        boolean isBinary;

        void clear() {
            rows.clear();
            text.clear();
            binary.clear();
            isBinary = false;
        }
    }

    public PgCopyWriter(RowWriter rows, EmptyAtStart emptyAtStart) {
        this.rows = rows;
        this.emptyAtStart = emptyAtStart;
        this.db = rows.database();
        this.columns = rows.columns();
        this.key = rows.keyColumns();
        this.stage = "mig_stage_" + Long.toHexString(System.nanoTime());
        this.binaryEligible = CopyBinary.supports(columns) && !"false".equals(System.getProperty("mig.copy.binary"));
    }

    @Override
    public void add(Map<String, Object> row) {
        Pending p = current;
        p.rows.add(row);
        // encoded now, while the row is in the cache, not when the batch is flushed
        if (binaryEligible && !Boolean.FALSE.equals(direct) && (p.isBinary || p.rows.size() == 1)) {
            try {
                if (p.rows.size() == 1) {
                    p.binary.clear();
                    p.binary.header();
                }
                p.binary.row(row, columns);
                p.isBinary = true;
                return;
            } catch (IllegalArgumentException noBinaryForm) {
                toText(p); // this batch goes as text (PostgreSQL reads the value, or says why not); the next tries binary again
                return;
            }
        }
        encode(p.text, row);
    }

    @Override
    public boolean takesEncoded() {
        return binaryEligible;
    }

    @Override
    public boolean addEncoded(Map<String, Object> row, Predicate<BinaryRow> encoder) {
        Pending p = current;
        if (!binaryEligible || Boolean.FALSE.equals(direct) || !(p.isBinary || p.rows.isEmpty())) {
            return false;
        }
        if (p.rows.isEmpty()) {
            p.binary.clear();
            p.binary.header();
        }
        int start = p.binary.length();
        p.binary.startRow(columns.size());
        if (!encoder.test(p.binary)) {
            p.binary.truncate(start);
            return false;
        }
        p.rows.add(row);
        p.isBinary = true;
        return true;
    }

    /** The pending rows as COPY text (for the merge path, or after a value without a binary form). */
    private void toText(Pending p) {
        if (!p.isBinary && p.text.length() > 0) {
            return;
        }
        p.text.clear();
        p.binary.clear();
        p.isBinary = false;
        for (Map<String, Object> row : p.rows) {
            encode(p.text, row);
        }
    }

    @Override
    public int pending() {
        return current.rows.size();
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public long flush() throws SQLException {
        return write(current);
    }

    /**
     * Hands the queued rows over to {@link #flush(BatchWriter.Batch)}, which may run on another thread while
     * add() fills the other batch. The caller waits for that flush before it detaches again.
     */
    @Override
    public boolean detaches() {
        return true;
    }

    @Override
    public BatchWriter.Batch detach() {
        Pending taken = current;
        current = other;
        other = taken;
        return taken;
    }

    @Override
    public long flush(BatchWriter.Batch batch) throws SQLException {
        return write((Pending) batch);
    }

    private long write(Pending p) throws SQLException {
        if (p.rows.isEmpty()) {
            return 0;
        }
        Connection c = db.connection();
        prepare(c);
        if (copyDirectly(c, p)) {
            return finish(p, p.rows.size());
        }
        if (p.isBinary) {
            toText(p); // the merge goes through the all-text staging table
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            copyPendingInto(c, stage, p);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(mergeSql);
                s.execute("TRUNCATE " + stage);
            }
            c.releaseSavepoint(savepoint);
            return finish(p, p.rows.size());
        } catch (SQLException | IOException e) {
            c.rollback(savepoint);
            if (e instanceof SQLException sql && RowWriter.isTransient(sql)) {
                throw sql;
            }
            // Some row was refused: write this batch row by row to find it (and reject only it).
            long before = rows.written();
            for (Map<String, Object> row : p.rows) {
                rows.add(row);
            }
            rows.flush();
            return finish(p, rows.written() - before);
        }
    }

    /**
     * COPY into the target itself, when it was empty at the start and has no merge to do: no staging,
     * no sort, no ON CONFLICT. A batch that collides (a duplicate key) goes the merge way instead,
     * and so do all batches after it.
     */
    private boolean copyDirectly(Connection c, Pending p) throws SQLException {
        if (direct == null) {
            direct = rows.mode() == RowWriter.Mode.UPSERT && emptyAtStart.test(c, db.dialect().table(rows.table().name()));
        }
        if (!direct) {
            return false;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            boolean wasBinary = p.isBinary;
            copyPendingInto(c, db.dialect().table(rows.table().name()), p);
            c.releaseSavepoint(savepoint);
            if (wasBinary) {
                BINARY_BATCHES.incrementAndGet();
            }
            return true;
        } catch (SQLException | IOException e) {
            c.rollback(savepoint);
            if (e instanceof SQLException sql && RowWriter.isTransient(sql)) {
                throw sql;
            }
            if (!(e instanceof SQLException sql) || isCollision(sql)) {
                direct = false; // the target holds keys now: this batch and the later ones merge
            }
            return false; // a row refused for its value: this batch goes the slow way, the next ones straight in again
        }
    }

    /** A key the target already holds (or a batch that holds it twice): COPY straight in cannot work from here on. */
    private static boolean isCollision(SQLException e) {
        return "23505".equals(e.getSQLState()) || "23P01".equals(e.getSQLState());
    }

    /** Streams the pending rows into a table with COPY, encoded once into the reusable buffer. */
    private void copyPendingInto(Connection c, String table, Pending p) throws SQLException, IOException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        String columnList = String.join(", ", columns.stream().map(col -> db.dialect().quote(col.name())).toList());
        // Bytes, not a Reader: pgjdbc encodes a Reader in 64K-char chunks, and an emoji (a surrogate
        // pair) split across two chunks would arrive as "??".
        boolean asBinary = p.isBinary;
        CopyIn in = copy.copyIn("COPY " + table + " (" + columnList + ") FROM STDIN" + (asBinary ? " (FORMAT binary)" : ""));
        try {
            if (asBinary) {
                int end = p.binary.length();
                p.binary.trailer();
                in.writeToCopy(p.binary.bytes(), 0, p.binary.length());
                p.binary.truncate(end); // the trailer is not part of the rows (a retry writes them again)
            } else {
                in.writeToCopy(p.text.bytes(), 0, p.text.length());
            }
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private long finish(Pending p, long n) {
        written += n; // only the thread that writes batches changes it
        p.clear();
        return n;
    }

    private void prepare(Connection c) throws SQLException {
        if (mergeSql != null) {
            return;
        }
        Dialect d = db.dialect();
        List<String> defs = new ArrayList<>();
        for (Column col : columns) {
            defs.add(d.quote(col.name()) + " text");
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE " + stage + " (mig_ord bigserial, " + String.join(", ", defs) + ") ON COMMIT PRESERVE ROWS");
        }
        String keyList = String.join(", ", key.stream().map(k -> d.quote(k.name())).toList());
        List<String> casts = new ArrayList<>();
        for (Column col : columns) {
            casts.add(cast(d, "s." + d.quote(col.name()), col) + " AS " + d.quote(col.name()));
        }
        String table = d.table(rows.table().name());
        if (rows.mode() == RowWriter.Mode.UPDATE) {
            List<String> sets = new ArrayList<>();
            for (Column col : columns) {
                if (!key.contains(col)) {
                    sets.add(d.quote(col.name()) + " = " + cast(d, "s." + d.quote(col.name()), col));
                }
            }
            List<String> match = new ArrayList<>();
            for (Column k : key) {
                match.add("t." + d.quote(k.name()) + " = " + cast(d, "s." + d.quote(k.name()), k));
            }
            mergeSql = "UPDATE " + table + " t SET " + String.join(", ", sets) + " FROM (SELECT DISTINCT ON (" + keyList
                    + ") * FROM " + stage + " ORDER BY " + keyList + ", mig_ord DESC) s WHERE " + String.join(" AND ", match);
            return;
        }
        String select = "SELECT " + String.join(", ", casts) + " FROM (SELECT DISTINCT ON (" + keyList + ") * FROM " + stage
                + " ORDER BY " + keyList + ", mig_ord DESC) s";
        String columnList = String.join(", ", columns.stream().map(col -> d.quote(col.name())).toList());
        if (rows.mode() == RowWriter.Mode.UPSERT) {
            List<String> updates = new ArrayList<>();
            for (Column col : columns) {
                if (!key.contains(col)) {
                    updates.add(d.quote(col.name()) + " = excluded." + d.quote(col.name()));
                }
            }
            mergeSql = "INSERT INTO " + table + " (" + columnList + ") " + select + " ON CONFLICT (" + keyList + ") DO "
                    + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
        } else {
            // no unique key on the target: update the rows that exist, insert the others
            List<String> match = new ArrayList<>();
            for (Column k : key) {
                match.add("t." + d.quote(k.name()) + " IS NOT DISTINCT FROM n." + d.quote(k.name()));
            }
            List<String> sets = new ArrayList<>();
            for (Column col : columns) {
                sets.add(d.quote(col.name()) + " = n." + d.quote(col.name()));
            }
            mergeSql = "WITH n AS (" + select + "), u AS (UPDATE " + table + " t SET " + String.join(", ", sets)
                    + " FROM n WHERE " + String.join(" AND ", match) + " RETURNING t.*) INSERT INTO " + table + " ("
                    + columnList + ") SELECT " + columnList + " FROM n WHERE NOT EXISTS (SELECT 1 FROM " + table + " t WHERE "
                    + String.join(" AND ", match) + ")";
        }
    }

    private static String cast(Dialect d, String expression, Column column) {
        return column.type() == LogicalType.BINARY ? "decode(substr(" + expression + ", 3), 'hex')"
                : "CAST(" + expression + " AS " + column.castType() + ")";
    }

    /** One row in COPY's text format, appended to {@link #text}. */
    private void encode(CopyText text, Map<String, Object> row) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.separator();
            }
            Object value = row.get(columns.get(i).name());
            if (value == null) {
                text.nullValue();
            } else {
                text.value(Postgres.text(value, columns.get(i)));
            }
        }
        text.endOfRow();
    }
}
