package dev.mig.run.lifecycle;

import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.db.Capture;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Ddl;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.session.Session;
import dev.mig.syntax.Span;
import dev.mig.syntax.TableRef;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pass 3 of a policy (and purge ... where): the listed rows deleted a page at a time, each page its own
 * short transaction that holds writers off only while it runs. A row is deleted only while it hashes as
 * it was listed (and, for an archive table, while the archive holds it as listed): a row a writer changed
 * meanwhile is kept, and counted.
 */
final class PagedDelete {
    private final Session session;
    private final Database db;
    private final TableInfo table;
    private final List<String> key;
    private final Map<String, LogicalType> types;
    private final ArchiveTable archive;
    private final Digest removed = new Digest();

    PagedDelete(Session session, Database db, TableInfo table, List<String> key, Map<String, LogicalType> types, ArchiveTable archive) {
        this.session = session;
        this.db = db;
        this.table = table;
        this.key = key;
        this.types = types;
        this.archive = archive;
    }

    /** The digest of the rows deleted so far (as they were deleted). */
    String digest() {
        return removed.toString();
    }

    /** Deletes the listed rows; returns {deleted, kept because changed or gone}. */
    long[] run(RemovalList list) throws SQLException {
        if (!db.dryRun()) {
            db.dialect().secureDelete(db);
        }
        long[] counts = {0, 0};
        TableReader reader = new TableReader(db, table);
        list.pages(session.settings().batch(), page -> {
            Map<String, Long> wanted = ListedRows.wanted(page);
            Set<String> archived = archive == null ? null : archive.holding(page);
            // the write lock first, in a transaction that has read nothing: on SQLite a read-then-write transaction
            // fails at once (SQLITE_BUSY) beside a writer, while taking the lock first waits for it
            db.commit();
            RemoveStep.lockAgainstWriters(db, table);
            long deleted = Capture.uncaptured(db, table, () -> {
                List<List<Object>> doomed = new ArrayList<>();
                reader.byKeys(key, ListedRows.keysOf(page), row -> {
                    String k = ListedRows.keyText(row, key);
                    Long hash = wanted.get(k);
                    if (hash != null && hash == Digest.rowHash(Canonical.row(row.values(), types))
                            && (archived == null || archived.contains(k))) {
                        List<Object> values = new ArrayList<>();
                        key.forEach(c -> values.add(row.get(c)));
                        doomed.add(values);
                        removed.add(Canonical.row(row.values(), types));
                    }
                });
                return RowWriter.deleteByKey(db, table, key, doomed);
            });
            db.commit();
            counts[0] += deleted;
            counts[1] += page.size() - deleted;
        });
        return counts;
    }

    /** An archive table a policy copies rows into; it tells which listed rows it holds exactly. */
    static final class ArchiveTable {
        private final Session session;
        private final Database target;
        private final TableInfo archive;
        private final TableInfo source;
        private final RowWriter writer;
        private final boolean sameDatabase;

        private ArchiveTable(Session session, Database target, TableInfo archive, TableInfo source, RowWriter writer, boolean sameDatabase) {
            this.session = session;
            this.target = target;
            this.archive = archive;
            this.source = source;
            this.writer = writer;
            this.sameDatabase = sameDatabase;
        }

        /** Opens (creating when missing, with the source's columns) the archive table; its columns must include the source's. */
        static ArchiveTable prepare(Session session, TableRef to, TableInfo source, Database sourceDb, Span span) throws SQLException {
            Database target = session.connections().db(to);
            TableInfo existing = target.describe(to.table());
            if (existing == null) {
                try (Statement st = target.connection().createStatement()) {
                    st.execute(Ddl.createTable(target.dialect(), to.table(), source.columns(), sourceDb.dialect().name()));
                }
                target.commit();
                target.schemaChanged();
                existing = target.describe(to.table());
            }
            for (Column c : source.columns()) {
                if (existing.column(c.name()) == null) {
                    throw session.error(span, "archive table " + to + " has no column " + c.name() + "; nothing was deleted");
                }
            }
            List<String> key = source.primaryKey();
            if (!existing.isUnique(key)) {
                throw session.error(span, "archive table " + to + " needs " + String.join(", ", key) + " as its key (a policy adds "
                        + "to it run after run); nothing was deleted");
            }
            RowWriter writer = new RowWriter(target, existing, source.columnNames(), key, RowWriter.Mode.UPSERT, (row, reason) -> {
                throw new IllegalStateException("the archive table refused a row: " + reason);
            });
            return new ArchiveTable(session, target, existing, source, writer, target == sourceDb);
        }

        void add(Row row) throws SQLException {
            writer.add(row.values());
            if (writer.pending() >= session.settings().batch()) {
                writer.flush();
            }
        }

        void finish() throws SQLException {
            writer.flush();
            target.commit(); // kept before any delete
        }

        /** The listed keys whose rows the archive holds with the same values (the source's columns, the source's types). */
        Set<String> holding(List<RemovalList.Entry> page) throws SQLException {
            Map<String, Long> wanted = ListedRows.wanted(page);
            Map<String, LogicalType> types = source.types();
            List<String> key = source.primaryKey();
            Set<String> held = new HashSet<>();
            new TableReader(target, RemoveStep.projection(archive, source)).byKeys(key, ListedRows.keysOf(page), row -> {
                String k = ListedRows.keyText(row, key);
                Long hash = wanted.get(k);
                if (hash != null && hash == Digest.rowHash(Canonical.row(row.values(), types))) {
                    held.add(k);
                }
            });
            if (!sameDatabase) {
                target.commit();
            }
            return held;
        }
    }
}
