package dev.mig.run.lifecycle;

import dev.mig.data.Canonical;
import dev.mig.data.KeyMerge;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.Session;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rollback of a map in place (006, 007, 011, 012): the table as it is now was renamed aside and the
 * legacy table restored from its backup (with the writes queued while frozen). A row of the aside table
 * that the map of its legacy row explains stays as it was before the migration; any other row - written
 * or changed by applications after the migration - comes back as they wrote it (same columns: no
 * inverse needed); a legacy row the aside table lacks was deleted since.
 */
final class InPlaceCarryBack {
    private final Session session;
    private final Database db;
    private final TableInfo legacy;
    private final TableInfo aside;
    private final CompiledMap map;

    InPlaceCarryBack(Session session, Database db, Stmt.MapTable recorded, TableInfo legacy, TableInfo aside) {
        this.session = session;
        this.db = db;
        this.legacy = legacy;
        this.aside = aside;
        this.map = CompiledMap.compile(session, recorded); // in place, against the restored legacy table
    }

    CarryBack.Counts run(String label) throws SQLException {
        List<String> key = legacy.primaryKey();
        if (key.isEmpty()) {
            throw new IllegalArgumentException(legacy.name() + " has no primary key to match rows written since");
        }
        Evaluator evaluator = session.evaluator();
        List<Map<String, Object>> upserts = new ArrayList<>();
        List<List<Object>> deletes = new ArrayList<>();
        long[] added = {0};
        long[] changed = {0};
        try (TableReader.Cursor old = new TableReader(db, legacy).open(key, session.settings().fetch());
             TableReader.Cursor now = new TableReader(db, aside).open(key, session.settings().fetch())) {
            KeyMerge.merge(old::next, a -> CarryBack.keyOf(a, key), now::next, b -> CarryBack.keyOf(b, key),
                    new KeyMerge.Visitor<Row, Row, SQLException>() {
                        @Override
                        public void both(Row a, Row b) {
                            if (!explains(a, b, evaluator)) {
                                upserts.add(b.values());
                                changed[0]++;
                            }
                        }

                        @Override
                        public void onlyLeft(Row a) {
                            deletes.add(CarryBack.keyOf(a, key));
                        }

                        @Override
                        public void onlyRight(Row b) {
                            upserts.add(b.values());
                            added[0]++;
                        }
                    });
        }
        long[] rejected = {0};
        RowWriter writer = new RowWriter(db, legacy, legacy.columnNames(), key, RowWriter.Mode.UPSERT, (row, reason) -> {
            rejected[0]++;
            session.outputs().rejects().write(0, "rollback " + label, legacy.name(), row, "cannot carry back: " + reason, row);
        });
        for (Map<String, Object> row : upserts) {
            writer.add(row);
        }
        writer.flush();
        long deleted = RowWriter.deleteByKey(db, legacy, key, deletes);
        return new CarryBack.Counts(added[0], changed[0], deleted, rejected[0]);
    }

    /** The aside row is what the map made of the legacy row (nothing written since). */
    private boolean explains(Row legacyRow, Row asideRow, Evaluator evaluator) {
        Map<String, Object> mapped;
        try {
            mapped = map.selects(evaluator, legacyRow) ? map.transform(legacyRow, evaluator) : Map.of();
        } catch (EvalException e) {
            return false;
        }
        for (Column c : legacy.columns()) {
            Object expected = mapped.containsKey(c.name()) ? mapped.get(c.name()) : legacyRow.get(c.name());
            Column now = aside.column(c.name());
            if (now == null || !Canonical.value(expected, c.type()).equals(Canonical.value(asideRow.get(now.name()), c.type()))) {
                return false;
            }
        }
        return true;
    }
}
