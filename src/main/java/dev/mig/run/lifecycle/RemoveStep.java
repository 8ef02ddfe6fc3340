package dev.mig.run.lifecycle;

import dev.mig.MigException;
import dev.mig.audit.BackupFile;
import dev.mig.audit.Storage;
import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.data.Evaluator;
import dev.mig.data.LogicalType;
import dev.mig.db.Capture;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Ddl;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.state.Archives;
import dev.mig.state.SeenRegistry;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * archive and purge: legacy rows removed, in a safe order (the copy written and verified before
 * any delete; the table locked against writers meanwhile), with the digest of what was removed.
 */
public final class RemoveStep implements Step<Stmt.Archive> {
    private final Session session;

    public RemoveStep(Session session) {
        this.session = session;
    }

    static void guard(Session session, Stmt stmt, TableRef table, boolean force) {
        if (!force && !session.memory().safety().guarded(table)) {
            throw session.error(stmt.span(), stmt.keyword() + " of " + table + " refused: no backup of it, and no passing "
                    + "checksum " + table + " -> ... since its last map, earlier in this run (write 'force' to override)");
        }
    }

    @Override
    public StepResult run(Stmt.Archive s) {
        guard(session, s, s.table(), s.force());
        Database db = session.connections().db(s.table());
        TableInfo table = session.connections().table(s.table());
        try {
            lockAgainstWriters(db, table);
            String removed = BackupStep.digest(db, table);
            String where;
            if (s.toFile() != null) {
                Storage file = session.storage(s.toFile());
                BackupFile.Manifest manifest = new BackupStep(session).write(s.table(), file, s.span());
                try {
                    BackupFile.verify(file, manifest);
                } catch (MigException e) {
                    throw session.error(s.span(), "the archive did not verify, nothing was deleted: " + e.getMessage(), e);
                }
                if (!manifest.digest().equals(removed)) {
                    throw session.error(s.span(), "the archive's digest " + manifest.digest() + " differs from the table's "
                            + removed + "; nothing was deleted");
                }
                where = file.location();
                if (session.connections().state() != null && !session.dryRun()) {
                    Archives.record(session.connections().state(), new Archives.Entry(session.version(),
                            session.file(), s.table().conn(), s.table().table(), file.location(), manifest.rows(),
                            manifest.digest(), Instant.now().toString()));
                }
            } else {
                copyToTable(db, table, s.toTable(), removed, s.span());
                where = s.toTable().toString();
            }
            long deleted = Capture.uncaptured(db, table, () -> {
                try (Statement st = db.connection().createStatement()) {
                    return (long) st.executeUpdate("DELETE FROM " + db.dialect().table(table.name()));
                }
            });
            session.memory().safety().archived(s.table());
            return new StepResult(deleted, 0, 0, removed, deleted + " rows archived to " + where + " (verified, digest "
                    + removed + ") and deleted from " + s.table());
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("archive of " + s.table() + " failed, nothing was deleted", e));
        }
    }

    private void copyToTable(Database db, TableInfo table, TableRef to, String expected, Span span) throws SQLException {
        Database target = session.connections().db(to);
        TableInfo existing = target.describe(to.table());
        if (existing == null) {
            try (Statement st = target.connection().createStatement()) {
                st.execute(Ddl.createTable(target.dialect(), to.table(), table.columns(), db.dialect().name()));
            }
            target.schemaChanged();
            existing = target.describe(to.table());
        }
        for (Column c : table.columns()) {
            if (existing.column(c.name()) == null) {
                throw session.error(span, "archive table " + to + " has no column " + c.name() + "; nothing was deleted");
            }
        }
        List<String> key = existing.primaryKey().isEmpty() ? table.primaryKey() : existing.primaryKey();
        RowWriter.Mode mode = existing.isUnique(key) ? RowWriter.Mode.UPSERT : RowWriter.Mode.INSERT;
        RowWriter writer = new RowWriter(target, existing, table.columnNames(), key, mode, (row, reason) -> {
            throw new IllegalStateException("the archive table refused a row: " + reason);
        });
        Digest copied = new Digest();
        Map<String, LogicalType> types = table.types();
        try {
            new TableReader(db, table).ordered(List.of(), row -> {
                writer.add(row.values());
                if (writer.pending() >= session.settings().batch()) {
                    writer.flush();
                }
            }, session.settings().fetch());
            writer.flush();
        } catch (IllegalStateException e) {
            throw session.error(span, e.getMessage() + "; nothing was deleted", e);
        }
        // Verify what the archive table now holds for these columns and keys before deleting anything.
        TableInfo archived = target.describe(to.table());
        new TableReader(target, projection(archived, table)).ordered(List.of(), row -> copied.add(Canonical.row(row.values(), types)),
                session.settings().fetch());
        if (!copied.toString().equals(expected)) {
            throw session.error(span, "the archive table " + to + " holds digest " + copied + ", the rows to archive "
                    + expected + " (does it hold other rows?); nothing was deleted");
        }
        if (target != db) {
            target.commit(); // the copy is kept before the delete commits
        }
    }

    /** The archive table read as the source's columns with the source's types (what its rows are compared by). */
    static TableInfo projection(TableInfo archive, TableInfo columnsOf) {
        List<Column> columns = new ArrayList<>();
        for (Column c : columnsOf.columns()) {
            Column a = archive.column(c.name());
            columns.add(new Column(a.name(), a.declaredType(), c.type(), a.pkPosition(), a.notNull()));
        }
        return new TableInfo(archive.name(), columns, archive.uniqueKeys());
    }

    /** Holds off other writers until this transaction ends (reads go on). */
    static void lockAgainstWriters(Database db, TableInfo table) throws SQLException {
        try (Statement st = db.connection().createStatement()) {
            db.dialect().lockAgainstWriters(st, table.name());
        }
    }

    StepResult purge(Stmt.Purge s) {
        Database db = session.connections().db(s.table());
        if (s.ifExists() && db.describe(s.table().table()) == null) {
            return new StepResult(0, 0, 0, new Digest().toString(), "no table " + s.table().table() + " on '" + s.table().conn()
                    + "': nothing to purge");
        }
        guard(session, s, s.table(), s.force());
        TableInfo table = session.connections().table(s.table());
        Evaluator evaluator = session.evaluator();
        try {
            if (s.where() != null && !table.primaryKey().isEmpty()) {
                return pagedPurge(s, db, table);
            }
            if (!db.dryRun()) {
                db.dialect().secureDelete(db);
            }
            lockAgainstWriters(db, table);
            Digest removed = new Digest();
            Map<String, LogicalType> types = table.types();
            List<String> key = Capture.keyColumns(db, table);
            List<List<Object>> keys = new ArrayList<>();
            long deleted = Capture.uncaptured(db, table, () -> {
                if (s.where() == null) {
                    new TableReader(db, table).ordered(List.of(), row -> removed.add(Canonical.row(row.values(), types)),
                            session.settings().fetch());
                    try (Statement st = db.connection().createStatement()) {
                        return (long) st.executeUpdate("DELETE FROM " + db.dialect().table(table.name()));
                    }
                }
                TableReader reader = new TableReader(db, table);
                reader.ordered(List.of(), row -> {
                    if (evaluator.test(s.where(), row)) {
                        removed.add(Canonical.row(row.values(), types));
                        List<Object> k = new ArrayList<>();
                        for (String column : key) {
                            k.add(row.get(column));
                        }
                        keys.add(k);
                    }
                }, session.settings().fetch());
                long n = 0;
                for (int i = 0; i < keys.size(); i += session.settings().batch()) {
                    n += RowWriter.deleteByKey(db, table, key, keys.subList(i, Math.min(keys.size(), i + session.settings().batch())));
                }
                return n;
            });
            db.commit();
            String reclaimed = reclaim(db, table);
            return new StepResult(deleted, 0, 0, removed.toString(), deleted + " rows deleted"
                    + (s.where() == null ? "" : " where " + Printer.expr(s.where())) + " (digest " + removed + "); " + reclaimed);
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("purge of " + s.table() + " failed", e));
        }
    }

    /**
     * purge ... where on a table with a key: the rows listed in pages of short reads, then deleted in pages
     * (a live writer waits for one page at most; a row it changed meanwhile is kept and counted).
     */
    private StepResult pagedPurge(Stmt.Purge s, Database db, TableInfo table) throws SQLException {
        List<String> key = table.primaryKey();
        Database state = session.connections().state() != null ? session.connections().state() : db;
        SeenRegistry seen = new SeenRegistry(state, table.name(), session.statementStart(), false);
        try (RemovalList due = new RemovalList()) {
            long scanned = new PolicyScan(session, db, table, key, null, seen).run(s.where(), due);
            PagedDelete delete = new PagedDelete(session, db, table, key, table.types(), null);
            long[] counts = delete.run(due);
            String reclaimed = counts[0] > 0 ? reclaim(db, table) : "nothing to reclaim";
            return new StepResult(counts[0], 0, 0, delete.digest(), counts[0] + " rows deleted where "
                    + Printer.expr(s.where()) + " (digest " + delete.digest() + ", " + scanned + " rows read); " + reclaimed
                    + (counts[1] == 0 ? "" : "; " + counts[1] + " rows kept because a writer changed or removed them meanwhile"));
        }
    }

    /** Gives the space of deleted rows back, so their text is not left in the database files. */
    private static String reclaim(Database db, TableInfo table) throws SQLException {
        return reclaim(db, table, false);
    }

    /** {@code besideWriters}: the dialect's lighter way for a table a live writer keeps using (a retention policy). */
    static String reclaim(Database db, TableInfo table, boolean besideWriters) throws SQLException {
        if (db.dryRun()) {
            return "storage not reclaimed in a dry run";
        }
        Connection c = db.connection();
        c.setAutoCommit(true); // VACUUM cannot run inside a transaction
        try (Statement st = c.createStatement()) {
            return besideWriters ? db.dialect().reclaimBesideWriters(st, table.name()) : db.dialect().reclaim(st, table.name());
        } finally {
            c.setAutoCommit(false);
        }
    }

    /** The family's second statement, as a step of its own. */
    public static final class Purge implements Step<Stmt.Purge> {
        private final RemoveStep family;

        public Purge(Session session) {
            this.family = new RemoveStep(session);
        }

        @Override
        public StepResult run(Stmt.Purge s) {
            return family.purge(s);
        }
    }
}
