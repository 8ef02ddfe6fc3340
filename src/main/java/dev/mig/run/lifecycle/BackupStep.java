package dev.mig.run.lifecycle;

import dev.mig.MigException;
import dev.mig.audit.BackupFile;
import dev.mig.audit.Storage;
import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.data.LogicalType;
import dev.mig.db.Capture;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Ddl;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.offsite.Locations;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.state.History;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** backup and restore: a verified copy of every row, and putting exactly those rows back. */
public final class BackupStep implements Step<Stmt.Backup> {
    private final Session session;

    public BackupStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Backup s) {
        Storage file = session.storage(s.file());
        long queueSeq;
        try {
            // taken first: the backup may be read in pages while applications write; every write after this
            // position is in the queue, so restore + replay from here gives the table as it is
            queueSeq = Capture.lastSeq(session.connections().db(s.table()), s.table().table());
        } catch (SQLException e) {
            throw session.error(s.span(), session.connections().db(s.table()).error("cannot read mig_queue", e));
        }
        BackupFile.Manifest manifest = write(s.table(), file, s.span(), true);
        History.BackupTaken taken = new History.BackupTaken(s.table(), file.location(), manifest.digest(), queueSeq);
        session.memory().safety().backupTaken(taken);
        if (session.connections().state() != null && !session.dryRun()) {
            // the backup's read transaction ends before the state write: on SQLite, a transaction that read and
            // then writes deadlocks with an application that started writing meanwhile
            Database db = session.connections().db(s.table());
            db.dialect().endReadBeforeWrite(db);
            History.recordBackup(session.connections().state(), session.version(), session.file(), taken);
        }
        return new StepResult(manifest.rows(), 0, 0, manifest.digest(), manifest.rows() + " rows, digest " + manifest.digest()
                + ", to " + file.location() + " (sha256 " + manifest.sha256().substring(0, 12) + "..." + verifiedNote(file, manifest) + ")");
    }

    /** Writes a backup of the table to the file; used by backup and by archive. */
    /** One consistent read of the table into the file (archive holds writers off around it). */
    BackupFile.Manifest write(TableRef ref, Storage file, Span span) {
        return write(ref, file, span, false);
    }

    /**
     * The rows into a backup file; {@code paged}: in short read transactions where a long one would hold
     * applications' commits off (the backup statement; the queue position is taken before).
     */
    BackupFile.Manifest write(TableRef ref, Storage file, Span span, boolean paged) {
        Database db = session.connections().db(ref);
        TableInfo table = session.connections().table(ref);
        try {
            return BackupFile.write(file, table, db.dialect().name(), sink -> {
                TableReader.RowHandler handler = row -> {
                    try {
                        sink.row(row.values());
                    } catch (SQLException | RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new SQLException(e);
                    }
                };
                TableReader reader = new TableReader(db, table);
                if (paged) {
                    reader.everyRow(handler, session.settings().batch());
                } else {
                    reader.ordered(List.of(), handler, session.settings().fetch());
                }
            });
        } catch (MigException e) {
            throw session.error(span, e);
        }
    }

    StepResult restore(Stmt.Restore s) {
        Storage file = session.storage(s.file());
        Database db = session.connections().db(s.table());
        BackupFile.Manifest manifest;
        try {
            manifest = BackupFile.readManifest(file);
            BackupFile.verify(file, manifest);
        } catch (MigException e) {
            throw session.error(s.file().span(), e.getMessage() + "; nothing was changed", e);
        }
        long written = restore(db, s.table(), file, manifest, s.span());
        return new StepResult(written, written, 0, manifest.digest(), written + " rows restored from " + file.location()
                + ", digest " + manifest.digest() + " as in the manifest");
    }

    /** Replaces the table's rows with the backup's (creating the table if it was dropped); verifies the digest. */
    long restore(Database db, TableRef ref, Storage file, BackupFile.Manifest manifest, Span span) {
        try {
            TableInfo table = db.describe(ref.table());
            if (table == null) {
                try (Statement st = db.connection().createStatement()) {
                    st.execute(Ddl.createTable(db.dialect(), ref.table(), manifest.columns(), manifest.dialect()));
                }
                db.schemaChanged();
                table = db.describe(ref.table());
            }
            checkSchema(table, manifest, ref, span);
            TableInfo target = table;
            long[] written = {0};
            Capture.uncaptured(db, target, () -> {
                try (Statement st = db.connection().createStatement()) {
                    st.executeUpdate("DELETE FROM " + db.dialect().table(target.name()));
                }
                RowWriter writer = new RowWriter(db, target, manifest.columns().stream().map(Column::name).toList(),
                        target.primaryKey(), RowWriter.Mode.INSERT, (row, reason) -> {
                            throw new IllegalStateException(reason);
                        });
                BackupFile.read(file, manifest, row -> {
                    writer.add(row);
                    if (writer.pending() >= session.settings().batch()) {
                        written[0] += writer.flush();
                    }
                });
                written[0] += writer.flush();
                return null;
            });
            String after = digest(db, target);
            if (!after.equals(manifest.digest())) {
                db.rollback();
                throw session.error(span, "restore of " + ref + " rolled back: the table's digest would be " + after
                        + ", the backup's is " + manifest.digest());
            }
            return written[0];
        } catch (SQLException | IllegalStateException e) {
            db.rollback();
            throw session.error(span, db.error("restore of " + ref + " failed and was rolled back", e));
        }
    }

    private void checkSchema(TableInfo table, BackupFile.Manifest manifest, TableRef ref, Span span) {
        List<String> missing = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Column c : manifest.columns()) {
            Column now = table.column(c.name());
            if (now == null) {
                missing.add(c.name());
            } else if (now.type() != c.type()) {
                changed.add(c.name() + " (" + c.type().name().toLowerCase() + " in the backup, " + now.type().name().toLowerCase()
                        + " now)");
            }
        }
        List<String> extra = new ArrayList<>();
        for (Column c : table.columns()) {
            if (manifest.columns().stream().noneMatch(m -> m.name().equalsIgnoreCase(c.name()))) {
                extra.add(c.name());
            }
        }
        if (!missing.isEmpty() || !changed.isEmpty() || !extra.isEmpty()) {
            throw session.error(span, "cannot restore into " + ref + ": its schema differs from the backup's"
                    + (missing.isEmpty() ? "" : "; missing columns " + String.join(", ", missing))
                    + (extra.isEmpty() ? "" : "; columns not in the backup " + String.join(", ", extra))
                    + (changed.isEmpty() ? "" : "; changed types " + String.join(", ", changed)) + "; nothing was changed");
        }
    }

    /**
     * An object in object storage is read back and checked against its manifest before anything may rely on
     * it (a local file was written and renamed on this machine; its rows are checked by what uses it).
     */
    private String verifiedNote(Storage file, BackupFile.Manifest manifest) {
        if (!Locations.isObject(file.location())) {
            return "";
        }
        BackupFile.verify(file, manifest);
        return ", read back from object storage and verified";
    }

    static String digest(Database db, TableInfo table) throws SQLException {
        Digest digest = new Digest();
        Map<String, LogicalType> types = table.types();
        new TableReader(db, table).ordered(List.of(), row -> digest.add(Canonical.row(row.values(), types)), 1000);
        return digest.toString();
    }

    /** The family's second statement, as a step of its own. */
    public static final class Restore implements Step<Stmt.Restore> {
        private final BackupStep family;

        public Restore(Session session) {
            this.family = new BackupStep(session);
        }

        @Override
        public StepResult run(Stmt.Restore s) {
            return family.restore(s);
        }
    }
}
