package dev.mig.run.verify;

import dev.mig.data.Canonical;
import dev.mig.data.CanonicalBytes;
import dev.mig.data.Digest;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.session.Handoff;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The two key-ordered streams a checksum merges. A side is read either by mig (rows, canonical
 * values, hashed here) or inside PostgreSQL (keys and eight-byte row hashes only), and either way
 * on its own thread when it has its own connection.
 */
final class ChecksumSides {
    private ChecksumSides() {
    }

    /** One row of a side: its key and row hash; the row's values by target column when mig read the row (else null). */
    record Entry(List<Object> key, long hash, List<String> keyNames, Map<String, Object> raw) {
        /** The canonical values by column, made from the row values kept (examples only); null when the database hashed the row. */
        Map<String, String> canonical(TableInfo target, List<String> columns) {
            if (raw == null) {
                return null;
            }
            Map<String, String> canonical = new LinkedHashMap<>();
            for (String column : columns) {
                Column c = target.column(column);
                canonical.put(c.name(), Canonical.value(raw.get(c.name()), c.type()));
            }
            return canonical;
        }

        String describedKey() {
            StringBuilder described = new StringBuilder();
            for (int i = 0; i < keyNames.size(); i++) {
                described.append(i > 0 ? ", " : "").append(keyNames.get(i)).append('=')
                        .append(Values.describe(key.get(i)));
            }
            return described.toString();
        }
    }

    interface Side extends AutoCloseable {
        /** The next entry in key order, or null at the end. */
        Entry next() throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /** The columns of a comparison in the order the row text lists them (sorted by name), each one's
     *  {@code "name":} with the separator before it (UTF-8), and the text's end: made once a thread, not once a row. */
    private record Layout(TableInfo target, List<String> columns, List<Column> sorted, byte[][] prefixes, byte[] end) {
    }

    /** One row text writer a thread (rows are hashed on worker threads). */
    private static final ThreadLocal<CanonicalBytes> TEXT = ThreadLocal.withInitial(CanonicalBytes::new);

    private static final ThreadLocal<Layout[]> LAYOUT = ThreadLocal.withInitial(() -> new Layout[1]);

    private static Layout layout(TableInfo target, List<String> columns) {
        Layout[] last = LAYOUT.get();
        if (last[0] == null || last[0].target() != target || last[0].columns() != columns) {
            List<Column> list = new ArrayList<>();
            for (String column : columns) {
                list.add(target.column(column));
            }
            list.sort(Comparator.comparing(Column::name));
            byte[][] prefixes = new byte[list.size()][];
            for (int i = 0; i < list.size(); i++) {
                StringBuilder prefix = new StringBuilder(i == 0 ? "{" : ",");
                Canonical.appendName(prefix, list.get(i).name());
                prefixes[i] = Canonical.utf8(prefix.append(':').toString());
            }
            last[0] = new Layout(target, columns, list, prefixes, Canonical.utf8(list.isEmpty() ? "{}" : "}"));
        }
        return last[0];
    }

    /**
     * The row hash of a row's values by target column: {@link Canonical#row}'s text hashed as
     * {@link Digest#rowHash} hashes it, written straight to UTF-8.
     */
    static long hash(Map<String, Object> values, TableInfo target, List<String> columns) {
        Layout layout = layout(target, columns);
        List<Column> sorted = layout.sorted();
        CanonicalBytes text = TEXT.get();
        text.clear();
        for (int i = 0; i < sorted.size(); i++) {
            Column c = sorted.get(i);
            text.raw(layout.prefixes()[i]);
            text.value(values.get(c.name()), c.type());
        }
        text.raw(layout.end());
        return text.hash();
    }

    /**
     * The entry of a row's values by target column, hashed as {@link Canonical#row} would hash
     * them; the values are kept as they are and made canonical again only for examples.
     */
    static Entry entry(Map<String, Object> values, TableInfo target, List<String> key, List<String> columns) {
        List<Object> keyValues = new ArrayList<>();
        for (String k : key) {
            keyValues.add(values.get(target.column(k).name()));
        }
        return new Entry(keyValues, hash(values, target, columns), key, values);
    }

    /**
     * A side hashed by PostgreSQL: {@code SELECT key, hash ORDER BY key}; a row whose hash the SQL
     * cannot compute (null) is read and hashed by mig.
     */
    static final class InDatabase implements Side {
        private final Database db;
        private final TableInfo table;
        private final List<String> keyColumns;
        private final List<String> keyNames;
        private final List<String> columns;
        private final TableInfo valuesAs;
        private final PreparedStatement ps;
        private final ResultSet rs;

        /**
         * @param keyColumns this table's key columns, in merge order; {@code keyNames} the names
         *                   reported (the target's); {@code asText} key columns ordered as text
         */
        InDatabase(Database db, TableInfo table, List<String> keyColumns, List<String> asText, List<String> keyNames,
                   List<String> columns, TableInfo valuesAs, String hashSql, int fetch) throws SQLException {
            this.db = db;
            this.table = table;
            this.keyColumns = keyColumns;
            this.keyNames = keyNames;
            this.columns = columns;
            this.valuesAs = valuesAs;
            Dialect d = db.dialect();
            List<String> select = new ArrayList<>();
            List<String> order = new ArrayList<>();
            for (String k : keyColumns) {
                Column c = table.column(k);
                select.add(d.quote(c.name()));
                order.add(asText.contains(k) ? d.orderKeyAsText(c) : d.orderKey(c));
            }
            String sql = "SELECT " + String.join(", ", select) + ", " + hashSql + " FROM " + d.table(table.name())
                    + " ORDER BY " + String.join(", ", order);
            ps = db.connection().prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(Math.max(fetch, 10_000)); // eight bytes and a key a row: large fetches pay
            rs = ps.executeQuery();
        }

        @Override
        public Entry next() throws SQLException {
            if (!rs.next()) {
                return null;
            }
            List<Object> key = new ArrayList<>();
            for (int i = 0; i < keyColumns.size(); i++) {
                key.add(db.dialect().read(rs, i + 1, table.column(keyColumns.get(i))));
            }
            byte[] hash = rs.getBytes(keyColumns.size() + 1);
            if (hash != null) {
                return new Entry(key, ByteBuffer.wrap(hash).getLong(), keyNames, null);
            }
            // hashed by mig: the row is read by its key on this connection once the cursor moved on
            List<Row> rows = new TableReader(db, table).byKey(keyColumns, key);
            Map<String, Object> values = new LinkedHashMap<>();
            for (String column : columns) {
                values.put(valuesAs.column(column).name(), rows.get(0).get(column));
            }
            Map<String, Object> keyed = new LinkedHashMap<>(values);
            for (int i = 0; i < keyNames.size(); i++) {
                keyed.put(valuesAs.column(keyNames.get(i)).name(), key.get(i));
            }
            Entry e = entry(keyed, valuesAs, keyNames, columns);
            return new Entry(key, e.hash(), keyNames, e.raw());
        }

        @Override
        public void close() throws SQLException {
            try {
                rs.close();
            } finally {
                ps.close();
            }
        }
    }

    /** Makes a side's entry from a row mig read; null leaves the row out. Must be safe to call from several threads. */
    interface RowToEntry {
        Entry apply(Row row) throws SQLException;
    }

    /**
     * A side read by mig: one thread reads the cursor in batches, a pool turns the batches into
     * entries (the map, canonical values, sha256: the costly part), and the merge takes them back
     * in order. Bounded: a few batches in flight.
     */
    static final class Mapped implements Side {
        private static final int BATCH = 1000;
        private final TableReader.Cursor cursor;
        private final ExecutorService pool;
        private final Handoff<Future<List<Entry>>> batches;
        private Iterator<Entry> current = Collections.emptyIterator();

        Mapped(TableReader.Cursor cursor, RowToEntry mapper, int threads) {
            this.cursor = cursor;
            this.pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "mig-checksum-worker");
                t.setDaemon(true);
                return t;
            });
            this.batches = new Handoff<>("mig-checksum-reader", threads * 4, sink -> {
                while (true) {
                    List<Row> rows = new ArrayList<>(BATCH);
                    for (Row row = cursor.next(); row != null; row = rows.size() < BATCH ? cursor.next() : null) {
                        rows.add(row);
                    }
                    if (rows.isEmpty()) {
                        return;
                    }
                    sink.put(pool.submit(() -> {
                        List<Entry> entries = new ArrayList<>(rows.size());
                        for (Row row : rows) {
                            Entry e = mapper.apply(row);
                            if (e != null) {
                                entries.add(e);
                            }
                        }
                        return entries;
                    }));
                }
            });
        }

        @Override
        public Entry next() throws SQLException {
            while (!current.hasNext()) {
                Future<List<Entry>> batch = batches.take();
                if (batch == null) {
                    return null;
                }
                try {
                    current = batch.get().iterator();
                } catch (ExecutionException e) {
                    throw Handoff.rethrow(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted");
                }
            }
            return current.next();
        }

        @Override
        public void close() throws SQLException {
            batches.close();
            pool.shutdownNow();
            cursor.close();
        }
    }

    /** Reads a side on another thread, a few thousand entries ahead of the merge. */
    static final class Ahead implements Side {
        private final Side side;
        private final Handoff<Entry> entries;

        Ahead(Side side) {
            this.side = side;
            this.entries = new Handoff<>("mig-checksum-reader", 8192, sink -> {
                for (Entry e = side.next(); e != null; e = side.next()) {
                    sink.put(e);
                }
            });
        }

        @Override
        public Entry next() throws SQLException {
            return entries.take();
        }

        @Override
        public void close() throws SQLException {
            entries.close();
            side.close();
        }
    }
}
