package dev.mig.db;

import dev.mig.data.LogicalType;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final List<Map<String, Object>> pending = new ArrayList<>();
    private final String stage;
    private final CopyText text = new CopyText();
    /** Batches that went in as binary COPY, in this process (what a test checks the binary path ran by). */
    static final java.util.concurrent.atomic.AtomicLong BINARY_BATCHES = new java.util.concurrent.atomic.AtomicLong();
    /** Binary COPY where every column has a binary form (uuid, vector, jsonb, text, ...): used for direct loads. */
    private final CopyBinary binary = new CopyBinary();
    private boolean binaryEligible;
    /** True while the pending rows are encoded in {@link #binary} (not {@link #text}). */
    private boolean pendingBinary;
    private String mergeSql;
    private long written;
    /** True while the target was empty when the map began and no batch has collided: COPY goes straight in. */
    private Boolean direct;

    PgCopyWriter(RowWriter rows) {
        this.rows = rows;
        this.db = rows.database();
        this.columns = rows.columns();
        this.key = rows.keyColumns();
        this.stage = "mig_stage_" + Long.toHexString(System.nanoTime());
        this.binaryEligible = CopyBinary.supports(columns) && !"false".equals(System.getProperty("mig.copy.binary"));
    }

    @Override
    public void add(Map<String, Object> row) {
        pending.add(row);
        // encoded now, while the row is in the cache, not when the batch is flushed
        if (binaryEligible && !Boolean.FALSE.equals(direct) && (pendingBinary || pending.size() == 1)) {
            try {
                if (pending.size() == 1) {
                    binary.clear();
                    binary.header();
                }
                binary.row(row, columns);
                pendingBinary = true;
                return;
            } catch (IllegalArgumentException noBinaryForm) {
                binaryEligible = false; // this value, and so the rest of the run, goes as text
                toText();
                return;
            }
        }
        encode(row);
    }

    /** The pending rows as COPY text (for the merge path, or after a value without a binary form). */
    private void toText() {
        if (!pendingBinary && text.length() > 0) {
            return;
        }
        text.clear();
        binary.clear();
        pendingBinary = false;
        for (Map<String, Object> row : pending) {
            encode(row);
        }
    }

    @Override
    public int pending() {
        return pending.size();
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public long flush() throws SQLException {
        if (pending.isEmpty()) {
            return 0;
        }
        Connection c = db.connection();
        prepare(c);
        if (copyDirectly(c)) {
            return finish(pending.size());
        }
        if (pendingBinary) {
            toText(); // the merge goes through the all-text staging table
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            copyPendingInto(c, stage);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(mergeSql);
                s.execute("TRUNCATE " + stage);
            }
            c.releaseSavepoint(savepoint);
            long n = pending.size();
            written += n;
            pending.clear();
            text.clear();
            binary.clear();
            pendingBinary = false;
            return n;
        } catch (SQLException | IOException e) {
            c.rollback(savepoint);
            if (e instanceof SQLException sql && RowWriter.isTransient(sql)) {
                throw sql;
            }
            // Some row was refused: write this batch row by row to find it (and reject only it).
            long before = rows.written();
            for (Map<String, Object> row : pending) {
                rows.add(row);
            }
            rows.flush();
            long n = rows.written() - before;
            written += n;
            pending.clear();
            text.clear();
            binary.clear();
            pendingBinary = false;
            return n;
        }
    }

    /**
     * COPY into the target itself, when it was empty at the start and has no merge to do: no staging,
     * no sort, no ON CONFLICT. A batch that collides (a duplicate key) goes the merge way instead,
     * and so do all batches after it.
     */
    private boolean copyDirectly(Connection c) throws SQLException {
        if (direct == null) {
            direct = rows.mode() == RowWriter.Mode.UPSERT && isEmpty(c);
        }
        if (!direct) {
            return false;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            boolean wasBinary = pendingBinary;
            copyPendingInto(c, db.dialect().table(rows.table().name()));
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
            direct = false;
            return false;
        }
    }

    /** Streams the pending rows into a table with COPY, encoded once into the reusable buffer. */
    private void copyPendingInto(Connection c, String table) throws SQLException, IOException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        String columnList = String.join(", ", columns.stream().map(col -> db.dialect().quote(col.name())).toList());
        // Bytes, not a Reader: pgjdbc encodes a Reader in 64K-char chunks, and an emoji (a surrogate
        // pair) split across two chunks would arrive as "??".
        boolean asBinary = pendingBinary;
        CopyIn in = copy.copyIn("COPY " + table + " (" + columnList + ") FROM STDIN" + (asBinary ? " (FORMAT binary)" : ""));
        try {
            if (asBinary) {
                int end = binary.length();
                binary.trailer();
                in.writeToCopy(binary.bytes(), 0, binary.length());
                binary.truncate(end); // the trailer is not part of the rows (a retry writes them again)
            } else {
                in.writeToCopy(text.bytes(), 0, text.length());
            }
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private boolean isEmpty(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + db.dialect().table(rows.table().name()) + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private long finish(long n) {
        written += n;
        pending.clear();
        text.clear();
        binary.clear();
        pendingBinary = false;
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
                : "CAST(" + expression + " AS " + column.declaredType() + ")";
    }

    /** One row in COPY's text format, appended to {@link #text}. */
    private void encode(Map<String, Object> row) {
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
