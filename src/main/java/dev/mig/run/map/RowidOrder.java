package dev.mig.run.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A SQLite table whose primary key is not its rowid (mem0's TEXT ids) is stored in rowid order and
 * reached by key through an index: read by key, every row is a read somewhere else in the file, which
 * costs little while the file is in the page cache and everything once it is not (1,000,000 vectors of
 * 1,536 dims are an 8 GB file). A map reads such a source by rowid instead, and saves
 * [{"rowid": n, "root": page}, key...] to resume after. Rowids of such a table are only renumbered by a
 * rebuild (a copy renamed into its place, as migrations do: a new root page) - and, SQLite's documentation
 * warns, possibly by VACUUM (3.40's keeps them); so a resumed run goes on only when the table has the same
 * root page and rowid n still holds that key, and starts again from the beginning otherwise - pages are
 * upserts, so a row written twice changes nothing.
 */
final class RowidOrder {
    static final List<String> KEY = List.of("rowid");

    private RowidOrder() {
    }

    /** Whether the source is a SQLite rowid table whose key is something else than the rowid. */
    static boolean applies(Database from, TableInfo source) {
        List<String> pk = source.primaryKey();
        if (pk.isEmpty() || !"rowid".equals(from.dialect().storageOrderColumn(from, source))) {
            return false;
        }
        boolean rowidAlias = pk.size() == 1 && source.column(pk.get(0)).declaredType().equalsIgnoreCase("integer");
        return !rowidAlias;
    }

    /** Whether a key an earlier run saved is a rowid position (else it is a primary key, read in key order). */
    static boolean isPosition(List<Object> saved) {
        return saved != null && !saved.isEmpty() && saved.get(0) instanceof JsonNode n && n.isObject() && n.has("rowid");
    }

    /** A slice's bound: a rowid. */
    static List<Object> bound(long rowid) {
        ObjectNode at = Values.JSON.createObjectNode();
        at.put("rowid", rowid);
        return List.of(at);
    }

    /** The rowid as TableReader reads by it, of a bound or a position (null for null). */
    static List<Object> rowid(List<Object> position) {
        return position == null ? null : List.of(((JsonNode) position.get(0)).get("rowid").asLong());
    }

    /**
     * Slices of equal rowid ranges for the workers: rowids are dense in a table nobody deleted from, and
     * far less uneven than a key's distribution is unknown (the bounds cost two lookups, not a scan).
     */
    static List<KeySlices.Slice> plan(Database from, TableInfo source, int workers) throws SQLException {
        long lo;
        long hi;
        try (Statement st = from.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT min(rowid), max(rowid) FROM " + from.dialect().table(source.name()))) {
            rs.next();
            lo = rs.getLong(1);
            hi = rs.getLong(2);
        }
        List<KeySlices.Slice> slices = new ArrayList<>();
        List<Object> after = null;
        for (int i = 1; i < workers; i++) {
            List<Object> b = bound(lo - 1 + (hi - lo + 1) * i / workers);
            slices.add(new KeySlices.Slice(slices.size(), after, b, false));
            after = b;
        }
        slices.add(new KeySlices.Slice(slices.size(), after, null, false));
        return slices;
    }

    /**
     * Whether every position the slices of an interrupted run saved still holds its key; when one does not, the
     * rowids were renumbered (rows only move down, in order) and rows may have crossed into slices already done,
     * so every slice starts again from its bound.
     */
    static boolean stillHold(Database from, TableInfo source, List<KeySlices.Slice> slices) throws SQLException {
        boolean hold = true;
        for (KeySlices.Slice slice : slices) {
            if (slice.after != null && slice.after.size() > 1 && resumeAfter(from, source, slice.after) == null) {
                hold = false;
            }
        }
        if (!hold) {
            for (KeySlices.Slice slice : slices) {
                slice.after = slice.index == 0 ? null : slices.get(slice.index - 1).upTo;
                slice.restart();
            }
        }
        return hold;
    }

    /** Why a resumed run starts from the beginning. */
    static String startedAgain(TableInfo source) {
        return "; started again: the rowids of " + source.name() + " changed since an earlier, interrupted run "
                + "(a VACUUM?); rows written again are the same rows";
    }

    /** One read in rowid order: it remembers each page's last row, to save the position after the page. */
    static final class Positions {
        private final List<String> pk;
        private final long root;
        private Row last;

        Positions(Database from, TableInfo source) throws SQLException {
            this.pk = source.primaryKey();
            this.root = from.dialect().storageIdentity(from, source);
        }

        TableReader.RowHandler track(TableReader.RowHandler handler) {
            return row -> {
                last = row;
                handler.row(row);
            };
        }

        /** The position to save after a page whose last rowid is {@code pageLast} (null stays null). */
        List<Object> after(List<Object> pageLast) {
            return pageLast == null || last == null ? pageLast : position(pageLast, last, pk, root);
        }
    }

    /** What is saved after a page: the rowid of its last row, and that row's key. */
    static List<Object> position(List<Object> lastRowid, Row lastRow, List<String> pk, long root) {
        List<Object> out = new ArrayList<>();
        ObjectNode at = Values.JSON.createObjectNode();
        at.put("rowid", ((Number) lastRowid.get(0)).longValue());
        at.put("root", root);
        out.add(at);
        for (String k : pk) {
            out.add(lastRow.get(k));
        }
        return out;
    }

    /**
     * The rowid to resume after, or null (from the beginning of the range) when that rowid no longer holds
     * the saved key; a bound (no key saved with it) as it is.
     */
    static List<Object> resumeAfter(Database from, TableInfo source, List<Object> saved) throws SQLException {
        long rowid = ((JsonNode) saved.get(0)).get("rowid").asLong();
        if (saved.size() == 1) {
            return List.of(rowid);
        }
        if (((JsonNode) saved.get(0)).path("root").asLong(-1) != from.dialect().storageIdentity(from, source)) {
            from.commit();
            return null;
        }
        List<String> pk = source.primaryKey();
        String columns = String.join(", ", pk.stream().map(from.dialect()::quote).toList());
        try (PreparedStatement ps = from.connection().prepareStatement("SELECT " + columns + " FROM "
                + from.dialect().table(source.name()) + " WHERE rowid = ?")) {
            ps.setLong(1, rowid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                for (int i = 0; i < pk.size(); i++) {
                    Column c = source.column(pk.get(i));
                    Object now = from.dialect().read(rs, i + 1, c);
                    if (!Values.toJson(now).equals(Values.toJson(saved.get(i + 1)))) {
                        return null;
                    }
                }
            }
        } finally {
            from.commit();
        }
        return List.of(rowid);
    }
}
