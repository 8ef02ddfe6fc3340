package dev.mig.run.lifecycle;

import dev.mig.MigException;
import dev.mig.audit.BackupFile;
import dev.mig.audit.Storage;
import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.data.EvalException;
import dev.mig.data.LogicalType;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.state.Archives;
import dev.mig.state.SeenRegistry;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Stmt;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * {@code archive A.t [by col] where cond to ...}: a retention policy. Beside a live writer and with memory
 * flat, in three passes of short transactions: (1) read the table in pages and list the rows due (key and
 * hash; with {@code by}, whole groups); (2) copy exactly those rows, as listed, to the archive and verify
 * it; (3) delete them in pages, each row only while it still is as archived. A condition that matches
 * every row is refused unless forced; a run with nothing due writes and deletes nothing.
 */
public final class PolicyStep implements Step<Stmt.Archive> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Session session;

    public PolicyStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Archive s) {
        Database db = session.connections().db(s.table());
        TableInfo table = session.connections().table(s.table());
        List<String> key = table.primaryKey();
        if (key.isEmpty()) {
            throw session.error(s.table().span(), "archive ... where needs a key to delete rows by: " + s.table()
                    + " has no primary key");
        }
        if (s.by() != null && table.column(s.by()) == null) {
            throw session.error(s.span(), "no column " + s.by() + " in " + s.table() + " to group by");
        }
        if (s.toTable() != null && s.toTable().sameTable(s.table())) {
            throw session.error(s.toTable().span(), "a table cannot be archived into itself");
        }
        Instant now = session.statementStart();
        Database state = session.connections().state() != null ? session.connections().state() : db;
        SeenRegistry seen = new SeenRegistry(state, table.name(), now, !session.dryRun());
        Map<String, LogicalType> types = table.types();
        try (RemovalList due = new RemovalList()) {
            PolicyScan scan = new PolicyScan(session, db, table, key, s.by(), seen);
            String indexNote = scan.prepare();
            long scanned;
            try {
                scanned = scan.run(s.where(), due);
            } catch (EvalException e) {
                throw session.error(s.where().span(), "the policy's condition failed on a row of " + s.table() + ": "
                        + e.getMessage() + "; nothing was archived or deleted", e);
            }
            String what = s.table() + (s.by() == null ? "" : " (by " + s.by() + ")") + " where " + Printer.expr(s.where());
            String seenNote = seen.added() == 0 ? "" : "; " + seen.added() + " rows without a time of their own seen for the first time";
            if (due.size() == 0) {
                return new StepResult(scanned, 0, 0, new Digest().toString(), "nothing due: 0 of " + scanned + " rows of " + what
                        + indexNote + seenNote);
            }
            if (due.size() == scanned && !s.force()) {
                throw session.error(s.span(), "the policy matches every row of " + s.table() + " (" + scanned + "): refused, "
                        + "nothing was archived or deleted (write 'force' if that is what the policy means)");
            }
            Copy copy = copy(s, db, table, key, due, types);
            long[] result = new PagedDelete(session, db, table, key, types, copy.archiveTable).run(due);
            long deleted = result[0];
            if (deleted > 0) {
                db.commit();
            }
            String reclaimed = deleted > 0 ? RemoveStep.reclaim(db, table, true) : "nothing to reclaim";
            String kept = result[1] + copy.changed == 0 ? "" : "; " + (result[1] + copy.changed)
                    + " rows kept because a writer changed or removed them after they were read (a later run looks again)";
            return new StepResult(scanned, deleted, 0, copy.digest, deleted + " of " + scanned + " rows of " + what
                    + " archived to " + copy.where + " (verified, digest " + copy.digest + ") and deleted in pages; " + reclaimed
                    + kept + indexNote + seenNote);
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("archive of " + s.table() + " failed", e));
        }
    }

    /** What the policy would remove now, in words, without writing anything (mig plan --due). */
    public static String due(Session session, Stmt.Archive s, Database registry) {
        Database db = session.connections().db(s.table());
        TableInfo table = session.connections().table(s.table());
        if (table.primaryKey().isEmpty()) {
            return "cannot tell: " + s.table() + " has no primary key";
        }
        SeenRegistry seen = new SeenRegistry(registry == null ? db : registry, table.name(), session.statementStart(), false);
        try {
            long[] due = new PolicyScan(session, db, table, table.primaryKey(), s.by(), seen).countDue(s.where());
            return "due now: " + due[0] + " of " + due[1] + " rows of " + s.table()
                    + (due[0] > 0 && due[0] == due[1] && !s.force() ? " (every row: the run will refuse without force)" : "");
        } catch (SQLException e) {
            return "cannot tell: " + db.error("reading " + s.table() + " failed", e).getMessage();
        } finally {
            seen.close();
        }
    }

    /** What pass 2 wrote: where, how many rows and their digest, rows skipped because they changed. */
    private record Copy(String where, long rows, String digest, long changed, PagedDelete.ArchiveTable archiveTable) {
    }

    /** Pass 2: the listed rows, read again by key, into the archive; verified before anything is deleted. */
    private Copy copy(Stmt.Archive s, Database db, TableInfo table, List<String> key, RemovalList due, Map<String, LogicalType> types)
            throws SQLException {
        Digest digest = new Digest();
        long[] rows = {0};
        long[] changed = {0};
        if (s.toFile() != null) {
            Storage file = fresh(session, session.resolve(s.toFile()));
            if (session.dryRun()) {
                ListedRows.read(session, db, table, key, due, types, row -> {
                    digest.add(Canonical.row(row.values(), types));
                    rows[0]++;
                }, changed);
                return new Copy(file.location() + " (not written in a dry run)", rows[0], digest.toString(), changed[0], null);
            }
            BackupFile.Manifest manifest;
            try {
                manifest = BackupFile.write(file, table, db.dialect().name(), sink -> ListedRows.read(session, db, table, key, due, types,
                        row -> {
                            try {
                                sink.row(row.values());
                            } catch (SQLException | RuntimeException e) {
                                throw e;
                            } catch (Exception e) {
                                throw new SQLException(e);
                            }
                            digest.add(Canonical.row(row.values(), types));
                            rows[0]++;
                        }, changed));
                BackupFile.verify(file, manifest);
            } catch (MigException e) {
                throw session.error(s.span(), "the archive did not verify, nothing was deleted: " + e.getMessage(), e);
            }
            if (!manifest.digest().equals(digest.toString()) || manifest.rows() != rows[0]) {
                throw session.error(s.span(), "the archive " + file.location() + " holds digest " + manifest.digest() + ", the rows due "
                        + digest + "; nothing was deleted");
            }
            record(s, file.location(), rows[0], digest.toString());
            return new Copy(file.location(), rows[0], digest.toString(), changed[0], null);
        }
        PagedDelete.ArchiveTable archive = PagedDelete.ArchiveTable.prepare(session, s.toTable(), table, db, s.span());
        ListedRows.read(session, db, table, key, due, types, row -> {
            archive.add(row);
            digest.add(Canonical.row(row.values(), types));
            rows[0]++;
        }, changed);
        archive.finish();
        record(s, "table:" + s.toTable(), rows[0], digest.toString());
        return new Copy(s.toTable().toString(), rows[0], digest.toString(), changed[0], archive);
    }

    private void record(Stmt.Archive s, String location, long rows, String digest) {
        if (session.connections().state() == null || session.dryRun()) {
            return;
        }
        session.connections().state().commit(); // no read before the write in its transaction (SQLite beside a writer)
        Archives.record(session.connections().state(), new Archives.Entry(session.version(), session.file(), s.table().conn(), s.table().table(),
                location, rows, digest, Instant.now().toString()));
        session.connections().state().commit();
    }

    /**
     * The storage for a file a run writes (an archive, a receipt): the location as written, or - when it exists (a
     * policy runs again and again) - the same name with the run's UTC time in it: a run never replaces an older file.
     */
    static Storage fresh(Session session, String location) {
        Storage asWritten = session.storage(location);
        try {
            if (!asWritten.exists()) {
                return asWritten;
            }
            int slash = location.lastIndexOf('/');
            int dot = location.indexOf('.', slash + 1);
            String stem = dot < 0 ? location : location.substring(0, dot);
            String ext = dot < 0 ? "" : location.substring(dot);
            String stamp = STAMP.format(session.statementStart());
            Storage candidate = session.storage(stem + "." + stamp + ext);
            for (int i = 2; candidate.exists(); i++) {
                candidate = session.storage(stem + "." + stamp + "-" + i + ext);
            }
            return candidate;
        } catch (IOException e) {
            throw new MigException("cannot look at " + location + ": " + e.getMessage(), e);
        }
    }
}
