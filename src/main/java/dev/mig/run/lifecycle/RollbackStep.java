package dev.mig.run.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.MigException;
import dev.mig.audit.BackupFile;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Capture;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.state.History;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * rollback: each table this script backed up is restored from its (first) backup, then the
 * writes captured in mig_queue since that backup are applied to it again, so writes that arrived
 * while the migration ran are not lost either.
 */
public final class RollbackStep implements Step<Stmt.Rollback> {
    private final Session session;

    public RollbackStep(Session session) {
        this.session = session;
    }

    /** The script's own rollback statement: the backups this script took, restored, the queued writes re-applied. */
    @Override
    public StepResult run(Stmt.Rollback s) {
        return run(session.memory().safety().backups(), s.span());
    }

    public StepResult run(List<History.BackupTaken> backups, Span span) {
        return run(backups, span, null);
    }

    /**
     * {@code touched}: the tables the version's script can have written (null: all). A backed-up table it
     * cannot have written (005 only backs up and checks) is left as it is: restoring it would only undo
     * what applications wrote since.
     */
    public StepResult run(List<History.BackupTaken> backups, Span span, Predicate<TableRef> touched) {
        if (backups.isEmpty()) {
            throw session.error(span, "nothing to roll back: no backup was taken" + (session.version() == null ? ""
                    : " by migration " + session.version()));
        }
        Set<String> done = new LinkedHashSet<>();
        long restored = 0;
        long reapplied = 0;
        List<String> parts = new ArrayList<>();
        for (History.BackupTaken backup : backups) {
            String key = backup.table().toString();
            if (!done.add(key)) {
                continue; // the first backup of a table is the state before this script
            }
            if (touched != null && !touched.test(backup.table())) {
                parts.add(key + ": not written by this migration, left as it is");
                continue;
            }
            Database db = session.connections().db(backup.table().conn(), span);
            BackupFile.Manifest manifest;
            try {
                manifest = BackupFile.readManifest(session.storage(backup.location()));
                BackupFile.verify(session.storage(backup.location()), manifest);
            } catch (MigException e) {
                throw session.error(span, "cannot roll back " + key + ": " + e.getMessage(), e);
            }
            TableInfo current = db.describe(backup.table().table());
            if (current != null && !sameColumns(current, manifest)) {
                parts.add(afterCutover(db, backup, manifest, span));
                db.commit();
                continue;
            }
            Stmt.MapTable inPlace = inPlaceMap(backup.table());
            if (current != null && inPlace != null) {
                parts.add(afterInPlace(db, backup, manifest, inPlace, span));
                db.commit();
                continue;
            }
            long rows = new BackupStep(session).restore(db, backup.table(), session.storage(backup.location()), manifest, span);
            long applied = reapply(db, db.describe(backup.table().table()), backup.queueSeq(), span);
            String since = carryBackFromElsewhere(db, backup.table(), span);
            db.commit();
            restored += rows;
            reapplied += applied;
            parts.add(key + ": " + rows + " rows restored, " + applied + " queued writes re-applied" + since);
        }
        return new StepResult(restored, restored + reapplied, 0, null, String.join("; ", parts));
    }

    /**
     * A table moved to another database (003, 004, 010) and switched to: what applications wrote there since
     * (rows the recorded map does not explain) is carried back into the restored table.
     */
    private String carryBackFromElsewhere(Database db, TableRef legacyRef, Span span) {
        if (session.connections().state() == null) {
            return "";
        }
        for (Stmt.MapTable map : History.recordedMapsFrom(session.connections().state(), legacyRef.toString())) {
            if (map.target().conn().equals(legacyRef.conn()) || !session.connections().has(map.target().conn())
                    || session.connections().db(map.target()).describe(map.target().table()) == null) {
                continue;
            }
            try {
                CarryBack.Counts n = new CarryBack(session, db, map, null, legacyRef, map.target()).run(legacyRef.toString());
                return "; written to " + map.target() + " since: " + n.added() + " rows added and " + n.changed()
                        + " changed carried back, " + n.deleted() + " deleted, " + n.rejected() + " rejected";
            } catch (SQLException e) {
                db.rollback();
                throw session.error(span, db.error("rollback of " + legacyRef + " failed, nothing was changed", e));
            } catch (IllegalArgumentException e) {
                db.rollback();
                throw session.error(span, "cannot roll back " + legacyRef + ": " + e.getMessage() + "; nothing was changed", e);
            }
        }
        return "";
    }

    /** The map in place a version recorded for this table (006, 007, 011, 012), or null. */
    private Stmt.MapTable inPlaceMap(TableRef table) {
        if (session.connections().state() == null) {
            return null;
        }
        for (Stmt.MapTable m : History.recordedMapsFrom(session.connections().state(), table.toString())) {
            if (m.source().sameTable(m.target())) {
                return m;
            }
        }
        return null;
    }

    /**
     * A table mapped in place, written to by applications since: it is renamed aside (kept), the legacy rows
     * come back from the backup with the writes queued while frozen, and rows written or changed after the
     * migration come back as they were written (InPlaceCarryBack). One transaction.
     */
    private String afterInPlace(Database db, History.BackupTaken backup, BackupFile.Manifest manifest, Stmt.MapTable map,
                                Span span) {
        TableRef legacyRef = backup.table();
        try {
            String aside = renameAside(db, legacyRef, span);
            long rows = new BackupStep(session).restore(db, legacyRef, session.storage(backup.location()), manifest, span);
            long applied = reapply(db, db.describe(legacyRef.table()), backup.queueSeq(), span);
            CarryBack.Counts n = new InPlaceCarryBack(session, db, map, db.describe(legacyRef.table()), db.describe(aside))
                    .run(legacyRef.toString());
            return legacyRef + ": mapped in place by this migration; the table as it was is kept as " + aside + "; " + rows
                    + " rows restored from the backup, " + applied + " queued writes re-applied; written since: " + n.added()
                    + " rows added and " + n.changed() + " changed, kept as written, " + n.deleted() + " deleted, "
                    + n.rejected() + " rejected";
        } catch (SQLException | IllegalArgumentException e) {
            db.rollback();
            throw e instanceof SQLException sql ? session.error(span, db.error("rollback of " + legacyRef + " failed, nothing was changed", sql))
                    : session.error(span, "cannot roll back " + legacyRef + ": " + e.getMessage() + "; nothing was changed", e);
        } catch (RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    /** Renames the table as it is now to {@code TABLE_after_vN}, kept (a rollback never drops it); its capture goes. */
    private String renameAside(Database db, TableRef legacyRef, Span span) throws SQLException {
        String aside = legacyRef.table() + "_after_v" + String.valueOf(session.version()).replaceAll("[^A-Za-z0-9]", "_");
        if (db.describe(aside) != null) {
            throw session.error(span, "cannot roll back " + legacyRef + ": " + aside + " exists already (an earlier "
                    + "rollback?); rename or drop it first; nothing was changed");
        }
        Capture.remove(db, legacyRef.table());
        try (Statement st = db.connection().createStatement()) {
            st.execute("ALTER TABLE " + db.dialect().table(legacyRef.table()) + " RENAME TO " + db.dialect().quote(aside));
        }
        db.schemaChanged();
        return aside;
    }

    private static boolean sameColumns(TableInfo table, BackupFile.Manifest manifest) {
        if (table.columns().size() != manifest.columns().size()) {
            return false;
        }
        return manifest.columns().stream().allMatch(c -> table.column(c.name()) != null);
    }

    /**
     * The table was cut over (it has the new table's columns now): it is renamed aside (kept, never
     * dropped), the legacy table comes back from the backup, and what applications wrote to the new table
     * since is carried back through the inverse of the map (CarryBack). One transaction.
     */
    private String afterCutover(Database db, History.BackupTaken backup, BackupFile.Manifest manifest, Span span) {
        TableRef legacyRef = backup.table();
        Stmt.MapTable map = null;
        for (Stmt.MapTable m : session.connections().state() == null ? List.<Stmt.MapTable>of()
                : History.recordedMapsFrom(session.connections().state(), legacyRef.toString())) {
            if (!m.source().sameTable(m.target())) {
                map = m;
            }
        }
        if (map == null) {
            throw session.error(span, "cannot roll back " + legacyRef + ": it was cut over and no map from it is recorded "
                    + "(mig_maps), so what was written since cannot be carried back; nothing was changed");
        }
        try {
            String aside = renameAside(db, legacyRef, span);
            long rows = new BackupStep(session).restore(db, legacyRef, session.storage(backup.location()), manifest, span);
            // the script's on rollback map, when it declared one
            Stmt.MapTable declared = History.recordedMap(session.connections().state(), map.target().toString(), legacyRef.toString());
            CarryBack.Counts n = new CarryBack(session, db, map, declared, legacyRef,
                    new TableRef(legacyRef.conn(), aside, legacyRef.span())).run(legacyRef.toString());
            return legacyRef + ": cut over by this migration; the new table is kept as " + aside + "; " + rows
                    + " rows restored from the backup; written since: " + n.added() + " rows added and " + n.changed()
                    + " changed, carried back through the map's inverse, " + n.deleted() + " deleted, " + n.rejected()
                    + " rejected" + (n.rejected() > 0 ? " (see " + session.outputs().rejects().path() + ")" : "");
        } catch (SQLException | IllegalArgumentException e) {
            db.rollback();
            throw e instanceof SQLException sql ? session.error(span, db.error("rollback of " + legacyRef + " failed, nothing was changed", sql))
                    : session.error(span, "cannot roll back " + legacyRef + ": " + e.getMessage() + "; nothing was changed", e);
        } catch (RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    /** Applies queued writes after {@code afterSeq} to the table itself, uncaptured. */
    private long reapply(Database db, TableInfo table, long afterSeq, Span span) {
        try {
            if (db.describe("mig_queue") == null) {
                return 0;
            }
            List<String> key = Capture.keyColumns(db, table);
            Dialect d = db.dialect();
            List<Object[]> entries = new ArrayList<>();
            try (PreparedStatement ps = db.connection().prepareStatement("SELECT seq, op, " + d.asText("key") + ", "
                    + d.asText("old_key") + ", " + d.asText("row") + " FROM mig_queue WHERE table_name = ? AND seq > ? ORDER BY seq")) {
                ps.setString(1, table.name());
                ps.setLong(2, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
                    }
                }
            }
            RowWriter writer = new RowWriter(db, table, table.columnNames(), key,
                    table.isUnique(key) ? RowWriter.Mode.UPSERT : RowWriter.Mode.UPDATE_ELSE_INSERT, (row, reason) -> {
                        throw new IllegalStateException("a queued write could not be re-applied: " + reason);
                    });
            return Capture.uncaptured(db, table, () -> {
                long n = 0;
                for (Object[] e : entries) {
                    String op = (String) e[1];
                    if (op.equals("DELETE") || e[3] != null && !Values.parseJson((String) e[2]).equals(Values.parseJson((String) e[3]))) {
                        writer.flush();
                        JsonNode k = Values.parseJson(op.equals("DELETE") ? (String) e[2] : (String) e[3]);
                        List<Object> values = new ArrayList<>();
                        for (String column : key) {
                            values.add(Values.fromJson(k.get(column)));
                        }
                        RowWriter.deleteByKey(db, table, key, List.of(values));
                    }
                    if (!op.equals("DELETE")) {
                        Row row = ReplayStep.row(table, (String) e[4]);
                        writer.add(row.values());
                    }
                    n++;
                }
                writer.flush();
                return n;
            });
        } catch (SQLException | IllegalStateException e) {
            throw session.error(span, db.error("re-applying queued writes to " + table.name() + " failed", e));
        }
    }
}
