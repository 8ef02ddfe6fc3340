package dev.mig.run.verify;

import dev.mig.data.Compare;
import dev.mig.data.Convert;
import dev.mig.data.Digest;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.pushdown.CanonicalSql;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.Keys;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.run.state.ReplayMarks;
import dev.mig.run.verify.ChecksumSides.Entry;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * checksum A.t: the table digest. checksum A.t -> B.u: both sides read in key order (code
 * points, the same in PostgreSQL and SQLite) and merged key by key; the source side goes through
 * the map, so what is compared is what the map should have written.
 */
public final class ChecksumStep {
    private static final int EXAMPLES = 10;
    /** Threads that turn rows into hashes on a side mig reads (the map and sha256 are the costly part). */
    private static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Session session;

    public ChecksumStep(Session session) {
        this.session = session;
    }

    public StepResult compare(Stmt.Checksum s) {
        Stmt.MapTable map = session.mapOrRecorded(s.table(), s.target());
        TableInfo source = session.table(s.table());
        TableInfo target = session.table(s.target());
        Database sourceDb = session.db(s.table());
        Database targetDb = session.db(s.target());
        Evaluator evaluator = session.evaluator();
        CompiledMap compiled = map == null ? null : CompiledMap.compile(session, map);
        List<String> key;
        List<String> columns;
        List<String> sourceOrder = new ArrayList<>();
        if (compiled != null) {
            key = compiled.key();
            columns = compiled.written();
            for (String k : key) {
                String plain = compiled.plainSource(k);
                if (plain == null) {
                    throw session.error(s.span(), "checksum reads " + s.table() + " in key order, so the key column " + k
                            + " must be mapped from a plain column");
                }
                sourceOrder.add(plain);
            }
        } else {
            key = target.primaryKey().isEmpty() ? source.primaryKey() : target.primaryKey();
            columns = new ArrayList<>();
            for (Column c : target.columns()) {
                if (source.column(c.name()) != null) {
                    columns.add(c.name());
                }
            }
            for (String k : key) {
                if (source.column(k) == null || target.column(k) == null) {
                    throw session.error(s.span(), "no map " + s.table() + " -> " + s.target() + " ran before, and key "
                            + k + " is not in both tables");
                }
                sourceOrder.add(source.column(k).name());
            }
            if (key.isEmpty()) {
                throw session.error(s.span(), "no key to compare by: neither table has a primary key");
            }
        }
        ChecksumResult r = new ChecksumResult(EXAMPLES);
        Digest sourceDigest = new Digest();
        Digest targetDigest = new Digest();
        List<String> asText = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            LogicalType targetType = target.column(key.get(i)).type();
            LogicalType sourceType = source.column(sourceOrder.get(i)).type();
            if (targetType != sourceType && (targetType == LogicalType.TEXT
                    || targetType == LogicalType.UUID || targetType == LogicalType.OTHER)) {
                asText.add(sourceOrder.get(i)); // e.g. integer ids that became text ids: compare in text order
            } else if (targetType != sourceType && !(isNumber(targetType) && isNumber(sourceType))
                    && sourceType != LogicalType.OTHER) {
                throw session.error(s.span(), "checksum merges both tables in key order, but key " + key.get(i) + " is "
                        + targetType.name().toLowerCase() + " in " + s.target() + " and " + sourceType.name().toLowerCase()
                        + " in " + s.table() + ", which sort differently");
            }
        }
        boolean joined = JoinCompare.applies(session, compiled, source, target, sourceDb, targetDb, sourceOrder, key, columns, asText);
        List<Entry[]> pending = new ArrayList<>();
        DigestFirst.Digests digests;
        if (joined) {
            try {
                pending = JoinCompare.run(session, sourceDb, source, target, key, columns, r, EXAMPLES);
            } catch (SQLException e) {
                throw session.error(s.span(), "checksum failed: " + Database.rootMessage(e));
            }
        } else if ((digests = digestsFirst(s, compiled, source, target, sourceDb, targetDb, key, columns)) != null
                && digests.equal()) {
            r = digests.result();
            r.matched = digests.source().rows();
            sourceDigest = digests.source();
            targetDigest = digests.target();
        } else {
            List<Database> extra = new ArrayList<>();
            Sides sides = null;
            try {
                sides = sides(compiled, evaluator, source, target, sourceDb, targetDb, sourceOrder, asText, key, columns, r, extra);
                ChecksumSides.Side left = sides.left();
                ChecksumSides.Side right = sides.right();
                Entry a = left.next();
                Entry b = right.next();
                Entry previous = null;
                while (a != null || b != null) {
                    int c = a == null ? 1 : b == null ? -1 : Compare.keys(a.key(), b.key());
                    if (a != null && previous != null && Compare.keys(previous.key(), a.key()) == 0 && c != 0) {
                        r.example(r.duplicates, "duplicate key in " + s.table() + ": " + a.describedKey());
                        r.duplicateCount++;
                        a = left.next();
                        continue;
                    }
                    if (c == 0) {
                        sourceDigest.addHash(a.hash());
                        targetDigest.addHash(b.hash());
                        if (a.hash() == b.hash()) {
                            r.matched++;
                        } else {
                            r.mismatched++;
                            r.differs(a.key(), ChecksumResult.Kind.MISMATCHED, a.describedKey());
                            if (pending.size() < EXAMPLES) {
                                pending.add(new Entry[] {a, b});
                            }
                        }
                        previous = a;
                        a = left.next();
                        b = right.next();
                    } else if (c < 0) {
                        sourceDigest.addHash(a.hash());
                        r.onlySource++;
                        r.differs(a.key(), ChecksumResult.Kind.ONLY_SOURCE, a.describedKey());
                        r.example(r.sourceOnly, a.describedKey());
                        previous = a;
                        a = left.next();
                    } else {
                        targetDigest.addHash(b.hash());
                        r.onlyTarget++;
                        r.differs(b.key(), ChecksumResult.Kind.ONLY_TARGET, b.describedKey());
                        r.example(r.targetOnly, b.describedKey());
                        b = right.next();
                    }
                }
            } catch (SQLException e) {
                throw session.error(s.span(), "checksum failed: " + Database.rootMessage(e));
            } finally {
                try {
                    if (sides != null) {
                        sides.close();
                    }
                } catch (SQLException ignored) {
                    // the result (or the error above) is what matters
                }
                extra.forEach(Database::close);
            }
        }
        try {
            if (!joined && source.primaryKey().equals(sourceOrder)) {
                r.inFlight(queuedSinceReplay(sourceDb, source, s));
            }
            for (Entry[] pair : pending) {
                if (r.isInFlight(pair[0].key())) {
                    continue;
                }
                r.mismatches.add(pair[0].describedKey() + ": " + ChecksumResult.difference(
                        valuesOf(pair[0], source, sourceDb, sourceOrder, compiled, evaluator, target, key, columns),
                        valuesOf(pair[1], target, targetDb, key, null, evaluator, target, key, columns)));
            }
        } catch (SQLException e) {
            throw session.error(s.span(), "checksum failed: " + Database.rootMessage(e));
        }
        long differences = r.mismatched + r.onlySource + (s.allowExtra() ? 0 : r.onlyTarget) + r.duplicateCount + r.unmappable;
        StringBuilder message = new StringBuilder();
        message.append(r.matched).append(" matched, ").append(r.mismatched).append(" mismatched, ")
                .append(r.onlySource).append(" only in ").append(s.table()).append(", ")
                .append(r.onlyTarget).append(" only in ").append(s.target());
        if (r.duplicateCount > 0) {
            message.append(", ").append(r.duplicateCount).append(" duplicate keys in ").append(s.table());
        }
        if (r.unmappable > 0) {
            message.append(", ").append(r.unmappable).append(" source rows the map rejects");
        }
        if (s.allowExtra()) {
            message.append(" (allowed: rows only in ").append(s.target()).append(')');
        }
        if (r.inFlight > 0) {
            message.append("; ").append(r.inFlight).append(" rows written by applications since the last replay (queued in "
                    + "mig_queue: the next replay carries them)");
        }
        String details = r.details(s);
        String digest = joined ? null : "source " + sourceDigest + ", target " + targetDigest;
        if (joined) {
            message.append("; compared inside the database by key, value by value (no digests: checksum each table for them)");
        }
        if (differences > s.allow()) {
            throw session.error(s.span(), "checksum failed: " + message + (s.allow() > 0 ? " (allowed: " + s.allow() + ")" : "")
                    + details);
        }
        if (differences > 0) {
            message.append(" (within allow ").append(s.allow()).append(')').append(details);
        }
        session.safety().checksumPassed(s.table());
        return new StepResult(r.matched + r.mismatched + r.onlySource, 0, 0, digest, message.toString());
    }

    /**
     * Both digests at once, without key order (see {@link DigestFirst}), or null where they cannot stand
     * for the merge. Equal digests are the whole answer; different ones send the checksum to the merge.
     */
    private DigestFirst.Digests digestsFirst(Stmt.Checksum s, CompiledMap compiled, TableInfo source, TableInfo target,
                                             Database sourceDb, Database targetDb, List<String> key, List<String> columns) {
        if (!DigestFirst.applies(target, key, compiled != null && compiled.inPlace()) || sourceDb == targetDb && session.dryRun()) {
            return null;
        }
        ChecksumResult quick = new ChecksumResult(EXAMPLES);
        ThreadLocal<Evaluator> own = ThreadLocal.withInitial(session::evaluator);
        try {
            return DigestFirst.compute(sourceDb, source, targetDb, target,
                    row -> sourceEntry(row, compiled, own.get(), source, target, key, columns, quick),
                    row -> targetEntry(row, target, key, columns, null, null), quick,
                    WORKERS, session.settings().batch(), session.settings().fetch());
        } catch (SQLException e) {
            throw session.error(s.span(), "checksum failed: " + Database.rootMessage(e));
        }
    }

    /** The keys of writes queued for the source since the last replay into the target (see ReplayMarks). */
    private static Set<String> queuedSinceReplay(Database db, TableInfo source, Stmt.Checksum s) throws SQLException {
        Set<String> keys = new HashSet<>();
        for (List<Object> key : ReplayMarks.keysQueuedSince(db, source.name(), source.primaryKey(), s.table().toString(),
                s.target().toString())) {
            keys.add(ChecksumResult.flat(key));
        }
        return keys;
    }

    private record Sides(ChecksumSides.Side left, ChecksumSides.Side right) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            try {
                left.close();
            } finally {
                right.close();
            }
        }
    }

    /**
     * The two sides: hashed inside PostgreSQL when the SQL renders the compared columns exactly
     * (and the source needs no map), else read by mig; each on its own thread and connection when
     * it has one.
     */
    private Sides sides(CompiledMap compiled, Evaluator evaluator, TableInfo source, TableInfo target, Database sourceDb,
                        Database targetDb, List<String> sourceOrder, List<String> asText, List<String> key, List<String> columns,
                        ChecksumResult r, List<Database> extra) throws SQLException {
        CompiledMap sameTable = compiled != null && compiled.inPlace() ? compiled : null;
        boolean threads = sourceDb != targetDb || sourceDb.dialect().concurrentWriters() && !session.dryRun();
        Database targetConnection = targetDb;
        if (threads && sourceDb == targetDb) {
            sourceDb.commit(); // the second connection must see what this one wrote
            targetConnection = targetDb.anotherReader();
            extra.add(targetConnection);
        }
        ChecksumSides.Side left = null;
        String sourceHash = compiled == null && sameColumns(source, target, columns)
                ? CanonicalSql.rowHash(sourceDb.dialect(), source, columns) : null;
        if (sourceHash != null) {
            left = new ChecksumSides.InDatabase(sourceDb, source, sourceOrder, asText, key, columns, target, sourceHash, session.settings().fetch());
        } else {
            TableReader.Cursor cursor = asText.isEmpty()
                    ? new TableReader(sourceDb, source).openShort(sourceOrder, session.settings().batch())
                    : new TableReader(sourceDb, source).open(sourceOrder, asText, session.settings().fetch());
            ThreadLocal<Evaluator> own = ThreadLocal.withInitial(session::evaluator);
            left = new ChecksumSides.Mapped(cursor, row -> sourceEntry(row, compiled, own.get(), source, target, key, columns, r),
                    threads ? WORKERS : 1);
        }
        ChecksumSides.Side right;
        String targetHash = sameTable == null ? CanonicalSql.rowHash(targetDb.dialect(), target, columns) : null;
        if (targetHash != null) {
            right = new ChecksumSides.InDatabase(targetConnection, target, key, List.of(), key, columns, target, targetHash,
                    session.settings().fetch());
        } else {
            TableReader.Cursor cursor = new TableReader(targetConnection, target).openShort(key, session.settings().batch());
            ThreadLocal<Evaluator> own = ThreadLocal.withInitial(session::evaluator);
            right = new ChecksumSides.Mapped(cursor, row -> targetEntry(row, target, key, columns, sameTable, own.get()),
                    threads ? WORKERS : 1);
        }
        if (threads) {
            left = left instanceof ChecksumSides.InDatabase ? new ChecksumSides.Ahead(left) : left;
            right = right instanceof ChecksumSides.InDatabase ? new ChecksumSides.Ahead(right) : right;
        }
        return new Sides(left, right);
    }

    /** Same names and logical types: the source's own SQL renders what mig would compare. */
    private static boolean sameColumns(TableInfo source, TableInfo target, List<String> columns) {
        for (String column : columns) {
            Column s = source.column(column);
            Column t = target.column(column);
            if (s == null || t == null || !s.name().equals(t.name()) || s.type() != t.type()) {
                return false;
            }
        }
        return true;
    }

    /** The canonical values of an entry, read again by key when the database hashed it (examples only). */
    private Map<String, String> valuesOf(Entry e, TableInfo table, Database db, List<String> keyColumns, CompiledMap compiled,
                                         Evaluator evaluator, TableInfo target, List<String> key, List<String> columns)
            throws SQLException {
        if (e.raw() != null) {
            return e.canonical(target, columns);
        }
        List<Row> rows = new TableReader(db, table).byKey(keyColumns, e.key());
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String column : columns) {
            values.put(target.column(column).name(), Convert.to(target.column(column).type(), rows.get(0).get(column)));
        }
        return ChecksumSides.entry(values, target, key, columns).canonical(target, columns);
    }

    /** The entry a source row should have in the target (through the map), or null when the map leaves it out or rejects it. */
    private static Entry sourceEntry(Row row, CompiledMap compiled, Evaluator evaluator, TableInfo source, TableInfo target,
                                     List<String> key, List<String> columns, ChecksumResult r) {
        Map<String, Object> values;
        try {
            if (compiled != null) {
                if (!compiled.selects(evaluator, row)) {
                    return null;
                }
                values = compiled.transform(row, evaluator);
            } else {
                values = new LinkedHashMap<>();
                for (String column : columns) {
                    values.put(column, Convert.to(target.column(column).type(), row.get(column)));
                }
            }
        } catch (EvalException e) {
            synchronized (r) {
                r.unmappable++;
                r.example(r.rejectedBySource, Keys.describe(source, row) + ": " + e.getMessage());
            }
            return null;
        }
        return ChecksumSides.entry(values, target, key, columns);
    }

    /** A target row's entry; for a same-table map, only rows its where selects (the others were never mapped). */
    private static Entry targetEntry(Row row, TableInfo target, List<String> key, List<String> columns, CompiledMap sameTable,
                                     Evaluator evaluator) {
        if (sameTable != null) {
            try {
                if (!sameTable.selects(evaluator, row)) {
                    return null;
                }
            } catch (EvalException e) {
                return null; // counted on the source side
            }
        }
        return ChecksumSides.entry(row.values(), target, key, columns);
    }

    private static boolean isNumber(LogicalType type) {
        return type == LogicalType.INTEGER || type == LogicalType.FLOAT;
    }

}
