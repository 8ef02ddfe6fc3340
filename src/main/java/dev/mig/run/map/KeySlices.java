package dev.mig.run.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import dev.mig.run.session.Settings;
import dev.mig.state.Progress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table's key space cut into ranges (after, upTo] — for chunks, and for the slices parallel
 * workers take — in the database's own key order, plus how slices are saved and resumed.
 */
public final class KeySlices {
    private final TableInfo table;
    private final List<String> key;
    private final List<Column> keyColumns = new ArrayList<>();

    /** A key slice (after, upTo] worked on by one connection; after moves as its chunks commit. */
    public static final class Slice {
        final int index;
        public List<Object> after;
        public final List<Object> upTo;
        boolean done;

        Slice(int index, List<Object> after, List<Object> upTo, boolean done) {
            this.index = index;
            this.after = after;
            this.upTo = upTo;
            this.done = done;
        }

        void restart() {
            done = false;
        }
    }

    public KeySlices(TableInfo table, List<String> key) {
        this.table = table;
        this.key = key;
        for (String k : key) {
            keyColumns.add(table.column(k));
        }
    }

    List<String> key() {
        return key;
    }

    /** The whole key range as one slice. */
    public static List<Slice> one() {
        return List.of(new Slice(0, null, null, false));
    }

    /** The row count a plan needs, when it needs one (a map counts its source once for several uses). */
    public interface RowCount {
        long rows() throws SQLException;
    }

    /**
     * Slices of about equal row counts (fewer when keys repeat), as many as the settings give for the
     * table's row count (set parallel N, or mig's own choice); one when that is 1.
     */
    public List<Slice> plan(Database db, Settings settings) throws SQLException {
        return plan(db, settings, () -> MapRun.count(db, table));
    }

    /** Like {@link #plan(Database, Settings)}, with the table's row count from {@code rows}. */
    public List<Slice> plan(Database db, Settings settings, RowCount rows) throws SQLException {
        if (!settings.mayParallel()) {
            return one();
        }
        long count = rows.rows();
        int workers = settings.workersFor(count);
        if (workers <= 1) {
            return one();
        }
        List<List<Object>> bounds = new ArrayList<>();
        for (int i = 1; i < workers; i++) {
            List<Object> b = keyAt(db, null, null, count * i / workers);
            if (b != null && (bounds.isEmpty() || !b.equals(bounds.get(bounds.size() - 1)))) {
                bounds.add(b);
            }
        }
        List<Slice> slices = new ArrayList<>();
        List<Object> after = null;
        for (List<Object> b : bounds) {
            slices.add(new Slice(slices.size(), after, b, false));
            after = b;
        }
        slices.add(new Slice(slices.size(), after, null, false));
        return slices;
    }

    /** What an interrupted run left: its key slices, or the last key of its one slice; null when nothing. */
    static List<Slice> resume(Progress progress) throws SQLException {
        List<Progress.SavedSlice> saved = progress.resumeSlices();
        if (!saved.isEmpty()) {
            List<Slice> slices = new ArrayList<>();
            for (Progress.SavedSlice s : saved) {
                slices.add(new Slice(s.slice(), keyOf(s.after()), keyOf(s.upTo()), s.done()));
            }
            return slices;
        }
        JsonNode last = progress.resumeRaw();
        if (last == null || !last.isArray()) {
            return null;
        }
        List<Slice> one = new ArrayList<>();
        one.add(new Slice(0, keyOf(last), null, false));
        return one;
    }

    /** Records the slices a parallel run starts with. */
    static void start(Progress progress, List<Slice> slices) throws SQLException {
        List<Progress.SavedSlice> saved = new ArrayList<>();
        for (Slice slice : slices) {
            saved.add(new Progress.SavedSlice(slice.index, Values.parseJson(keyJson(slice.after)),
                    Values.parseJson(keyJson(slice.upTo)), false));
        }
        progress.startSlices(saved);
    }

    static List<Object> keyOf(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<Object> key = new ArrayList<>();
        node.forEach(v -> key.add(Values.fromJson(v)));
        return key;
    }

    static String keyJson(List<Object> key) {
        if (key == null) {
            return "null";
        }
        ArrayNode array = Values.JSON.createArrayNode();
        key.forEach(v -> array.add(Values.toJson(v)));
        return array.toString();
    }

    /** The key after {@code skip} more rows past {@code after} (within upTo), or null when there are fewer. */
    List<Object> keyAt(Database on, List<Object> after, List<Object> upTo, long skip) throws SQLException {
        Dialect d = on.dialect();
        String columns = String.join(", ", key.stream().map(d::quote).toList());
        String q = "SELECT " + columns + " FROM " + d.table(table.name()) + " WHERE " + range(on, after, upTo)
                + " ORDER BY " + columns + " LIMIT 1 OFFSET " + skip;
        try (PreparedStatement ps = on.connection().prepareStatement(q)) {
            bindRange(on, ps, 1, after, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < keyColumns.size(); i++) {
                    values.add(d.read(rs, i + 1, keyColumns.get(i)));
                }
                return values;
            }
        }
    }

    /** The SQL condition of a range (either end open when null); parameters bound by {@link #bindRange}. */
    public String range(Database on, List<Object> lo, List<Object> hi) {
        Dialect d = on.dialect();
        String tuple = "(" + String.join(", ", key.stream().map(d::quote).toList()) + ")";
        String params = "(" + String.join(", ", keyColumns.stream().map(d::placeholder).toList()) + ")";
        List<String> parts = new ArrayList<>();
        if (lo != null) {
            parts.add(tuple + " > " + params);
        }
        if (hi != null) {
            parts.add(tuple + " <= " + params);
        }
        return parts.isEmpty() ? "1 = 1" : String.join(" AND ", parts);
    }

    public void bindRange(Database on, PreparedStatement ps, int first, List<Object> lo, List<Object> hi) throws SQLException {
        int p = first;
        for (List<Object> bound : Arrays.asList(lo, hi)) {
            if (bound != null) {
                for (int i = 0; i < bound.size(); i++) {
                    on.dialect().bind(ps, p++, bound.get(i), keyColumns.get(i));
                }
            }
        }
    }
}
