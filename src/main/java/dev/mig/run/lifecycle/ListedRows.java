package dev.mig.run.lifecycle;

import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.data.Evaluator;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.session.Session;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rows of a {@link RemovalList} read again by key, page by page, those still as listed. */
final class ListedRows {
    private ListedRows() {
    }

    /**
     * Calls the handler with each listed row that still hashes as listed; counts the others (changed or
     * gone since) in {@code changed[0]}. Each page is its own short read transaction.
     */
    static void read(Session session, Database db, TableInfo table, List<String> key, RemovalList list, Map<String, LogicalType> types,
                     TableReader.RowHandler handler, long[] changed) throws SQLException {
        TableReader reader = new TableReader(db, table);
        list.pages(session.settings().batch(), page -> {
            Map<String, Long> wanted = wanted(page);
            List<Row> still = new ArrayList<>();
            reader.byKeys(key, keysOf(page), row -> {
                Long hash = wanted.remove(keyText(row, key));
                if (hash != null && hash == Digest.rowHash(Canonical.row(row.values(), types))) {
                    still.add(row);
                }
            });
            changed[0] += page.size() - still.size();
            db.commit();
            for (Row row : still) {
                handler.row(row);
            }
        });
    }

    static Map<String, Long> wanted(List<RemovalList.Entry> page) {
        Map<String, Long> wanted = new HashMap<>();
        for (RemovalList.Entry e : page) {
            wanted.put(keyText(e.key()), e.hash());
        }
        return wanted;
    }

    static List<List<Object>> keysOf(List<RemovalList.Entry> page) {
        return page.stream().map(RemovalList.Entry::key).toList();
    }

    static String keyText(Row row, List<String> key) {
        List<Object> values = new ArrayList<>();
        for (String k : key) {
            values.add(row.get(k));
        }
        return keyText(values);
    }

    /** Key values in a form that does not depend on how they were read (uuid or text, int or long). */
    static String keyText(List<Object> values) {
        StringBuilder out = new StringBuilder();
        for (Object v : values) {
            String t = v == null ? "\u0000" : Evaluator.setKey(v);
            out.append(t.length()).append(':').append(t);
        }
        return out.toString();
    }
}
