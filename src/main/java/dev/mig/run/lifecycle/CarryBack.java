package dev.mig.run.lifecycle;

import dev.mig.data.Canonical;
import dev.mig.data.Casts;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.KeyMerge;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.plan.RollbackPlan;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.Session;
import dev.mig.syntax.QName;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollback after cut-over: the legacy table is back from its backup, the new table (kept aside) holds
 * what applications wrote since. Both are read in key order side by side; a new row that the map of
 * the legacy row explains is left alone (the legacy row keeps its exact original values), any other new
 * row is carried back through the inverse of the map, and a legacy row with no new row was deleted
 * since. The inverse exists for lines that copy, rename, cast, change case, trim, coalesce or utc()
 * one legacy column; legacy columns no line gives keep their value (or stay NULL for a new row), and a
 * row that would leave a NOT NULL column empty goes to the rejects file with the reason.
 */
final class CarryBack {
    record Counts(long added, long changed, long deleted, long rejected) {
    }

    private final Session session;
    private final Database db;
    /** The connection of the new table: the same as the legacy one after a cutover, PostgreSQL after 003/004/010. */
    private final Database freshDb;
    private final TableInfo legacy;
    private final TableInfo fresh;
    private final CompiledMap map;
    private final Map<String, String> inverse = new LinkedHashMap<>(); // legacy column -> new column
    private final List<String> keyPairs = new ArrayList<>();

    /** Lines the script declared (on rollback map), by legacy column: they win over the derived inverse. */
    private final Map<String, Stmt.MapLine> declared = new LinkedHashMap<>();

    CarryBack(Session session, Database db, Stmt.MapTable recorded, Stmt.MapTable rollbackMap, TableRef legacyRef,
              TableRef freshRef) {
        this.session = session;
        this.db = db;
        this.freshDb = session.connections().db(freshRef);
        Stmt.MapTable map = new Stmt.MapTable(legacyRef, freshRef, recorded.key(), recorded.keepExisting(), recorded.lines(),
                recorded.where(), recorded.span());
        this.map = CompiledMap.compile(session, map);
        this.legacy = this.map.source();
        this.fresh = this.map.target();
        for (Stmt.MapLine line : recorded.lines()) {
            String from = RollbackPlan.invertible(line.source());
            QName to = line.target();
            if (from != null && to.size() == 1 && legacy.column(from) != null) {
                inverse.putIfAbsent(legacy.column(from).name(), fresh.column(to.first()).name());
            }
        }
        if (rollbackMap != null) {
            for (Stmt.MapLine line : rollbackMap.lines()) {
                if (legacy.column(line.target().first()) == null) {
                    throw new IllegalArgumentException("the rollback map writes " + line.target().source() + ", which "
                            + legacy.name() + " does not have");
                }
                for (QName q : CompiledMap.names(line.source(), new ArrayList<>())) {
                    if (fresh.column(q.first()) == null) {
                        throw new IllegalArgumentException("the rollback map reads " + q.source() + ", which " + fresh.name()
                                + " does not have");
                    }
                }
                declared.put(legacy.column(line.target().first()).name(), line);
            }
        }
        for (String k : this.map.key()) {
            String plain = this.map.plainSource(k);
            if (plain == null) {
                throw new IllegalArgumentException("the key column " + k + " is not copied from one legacy column");
            }
            keyPairs.add(plain);
        }
    }

    /** Applies what applications changed in the new table to the restored legacy table; commits nothing. */
    Counts run(String label) throws SQLException {
        List<Map<String, Object>> upserts = new ArrayList<>();
        List<List<Object>> deletes = new ArrayList<>();
        long[] added = {0};
        long[] changed = {0};
        Evaluator evaluator = session.evaluator();
        List<String> freshKey = map.key();
        List<String> asText = textKeys(freshKey);
        try (TableReader.Cursor old = new TableReader(db, legacy).open(keyPairs, asText, session.settings().fetch());
             TableReader.Cursor now = new TableReader(freshDb, fresh).open(freshKey, session.settings().fetch())) {
            KeyMerge.merge(old::next, a -> comparable(keyOf(a, keyPairs), asText), now::next, b -> keyOf(b, freshKey),
                    new KeyMerge.Visitor<Row, Row, SQLException>() {
                        @Override
                        public void both(Row a, Row b) {
                            if (!explains(a, b, evaluator)) {
                                upserts.add(carryOrReject(a, b, evaluator, label));
                                changed[0]++;
                            }
                        }

                        @Override
                        public void onlyLeft(Row a) {
                            if (wouldHaveBeenMapped(a, evaluator)) {
                                deletes.add(keyOf(a, keyPairs)); // it was in the new table: deleted there since
                            }
                        }

                        @Override
                        public void onlyRight(Row b) {
                            upserts.add(carryOrReject(null, b, evaluator, label));
                            added[0]++;
                        }
                    });
        }
        long[] rejected = {0};
        RowWriter writer = new RowWriter(db, legacy, legacy.columnNames(), legacy.primaryKey().isEmpty() ? keyPairs
                : legacy.primaryKey(), RowWriter.Mode.UPSERT, (row, reason) -> {
                    rejected[0]++;
                    session.outputs().rejects().write(0, "rollback " + label, legacy.name(), row, "cannot carry back: " + reason, row);
                });
        for (Map<String, Object> row : upserts) {
            if (row.containsKey("mig$reason")) {
                rejected[0]++;
                String reason = (String) row.remove("mig$reason");
                session.outputs().rejects().write(0, "rollback " + label, fresh.name(), row, "cannot carry back: " + reason, row);
                continue;
            }
            String missing = missingRequired(row);
            if (missing != null) {
                rejected[0]++;
                session.outputs().rejects().write(0, "rollback " + label, legacy.name(), row, "cannot carry back: no map line gives "
                        + missing + " (NOT NULL)", row);
                continue;
            }
            writer.add(row);
        }
        writer.flush();
        long deleted = RowWriter.deleteByKey(db, legacy, keyPairs, deletes);
        return new Counts(added[0], changed[0], deleted, rejected[0]);
    }

    private Map<String, Object> carryOrReject(Row legacyRow, Row freshRow, Evaluator evaluator, String label) {
        try {
            return carried(legacyRow, freshRow, evaluator);
        } catch (EvalException e) {
            Map<String, Object> row = new LinkedHashMap<>(freshRow.values());
            row.put("mig$reason", "the rollback map: " + e.getMessage());
            return row; // rejected below: its columns are the new table's
        }
    }

    /**
     * Whether the map takes this legacy row into the new table (its where selects it and no value fails);
     * only then does its absence there mean it was deleted since. A row the map left out or rejected stays.
     */
    private boolean wouldHaveBeenMapped(Row legacyRow, Evaluator evaluator) {
        try {
            if (!map.selects(evaluator, legacyRow)) {
                return false;
            }
            map.transform(legacyRow, evaluator);
            return true;
        } catch (EvalException e) {
            return false;
        }
    }

    /** Whether the map of the legacy row gives exactly the new row (then the legacy row stays as it was). */
    private boolean explains(Row legacyRow, Row freshRow, Evaluator evaluator) {
        Map<String, Object> mapped;
        try {
            mapped = map.transform(legacyRow, evaluator);
        } catch (EvalException e) {
            return false;
        }
        for (String column : map.written()) {
            Column c = fresh.column(column);
            if (!Canonical.value(mapped.get(column), c.type()).equals(Canonical.value(freshRow.get(column), c.type()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The legacy row for a new row: the script's declared lines first, then the inverse of the map, then the
     * legacy row's own values (NULLs for a new row).
     */
    private Map<String, Object> carried(Row legacyRow, Row freshRow, Evaluator evaluator) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Column c : legacy.columns()) {
            Stmt.MapLine line = declared.get(c.name());
            String from = inverse.get(c.name());
            if (line != null) {
                Object v = evaluator.eval(line.source(), freshRow);
                if (v == null && line.fallback() != null) {
                    v = evaluator.eval(line.fallback(), freshRow);
                }
                out.put(c.name(), line.type() == null ? v : Casts.to(line.type(), v));
            } else {
                out.put(c.name(), from != null ? freshRow.get(from) : legacyRow == null ? null : legacyRow.get(c.name()));
            }
        }
        return out;
    }

    private String missingRequired(Map<String, Object> row) {
        for (Column c : legacy.columns()) {
            if (c.notNull() && row.get(c.name()) == null) {
                return c.name();
            }
        }
        return null;
    }

    /**
     * Legacy key columns whose new column holds their value as text (integer ids that became text ids,
     * as the TS history's in Supabase's table): both sides are read and compared in text order then.
     */
    private List<String> textKeys(List<String> freshKey) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keyPairs.size(); i++) {
            LogicalType from = legacy.column(keyPairs.get(i)).type();
            LogicalType to = fresh.column(freshKey.get(i)).type();
            if (from != to && (to == LogicalType.TEXT || to == LogicalType.UUID)) {
                out.add(keyPairs.get(i));
            }
        }
        return out;
    }

    private List<Object> comparable(List<Object> key, List<String> asText) {
        if (asText.isEmpty()) {
            return key;
        }
        List<Object> out = new ArrayList<>(key);
        for (int i = 0; i < keyPairs.size(); i++) {
            if (asText.contains(keyPairs.get(i)) && out.get(i) != null) {
                out.set(i, Values.text(out.get(i)));
            }
        }
        return out;
    }

    static List<Object> keyOf(Row row, List<String> columns) {
        List<Object> out = new ArrayList<>();
        for (String c : columns) {
            out.add(row.get(c));
        }
        return out;
    }
}
