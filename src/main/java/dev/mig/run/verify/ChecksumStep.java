package dev.mig.run.verify;

import dev.mig.data.Convert;
import dev.mig.data.Digest;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.KeyMerge;
import dev.mig.data.Row;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.pushdown.CanonicalSql;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.Keys;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.run.verify.ChecksumSides.Entry;
import dev.mig.state.ReplayMarks;
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
public final class ChecksumStep implements Step<Stmt.Checksum> {
    private static final int EXAMPLES = 10;
    /** Threads that turn rows into hashes on a side mig reads (the map and sha256 are the costly part). */
    private static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Session session;

    public ChecksumStep(Session session) {
        this.session = session;
    }

    /** What one strategy found: the result, the digests (none when compared inside the database), pairs to explain. */
    private record Comparison(ChecksumResult result, boolean joined, Digest sourceDigest, Digest targetDigest,
                              List<Entry[]> pending) {
    }

    /**
     * Resolves the comparison once, then compares the cheapest way that holds: inside the database (one
     * join), digests of both sides at once (equal digests are the whole answer), else key by key.
     */
    @Override
    public StepResult run(Stmt.Checksum s) {
        ChecksumPlan p = ChecksumPlan.resolve(session, s);
        Comparison c;
        try {
            c = strategy(p);
            if (!c.joined() && p.byPrimaryKey()) {
                c.result().inFlight(queuedSinceReplay(p.sourceDb(), p.source(), s));
            }
            explain(p, c);
        } catch (SQLException e) {
            throw session.error(s.span(), "checksum failed: " + Database.rootMessage(e));
        }
        return verdict(s, c);
    }

    private Comparison strategy(ChecksumPlan p) throws SQLException {
        ChecksumResult r = new ChecksumResult(EXAMPLES);
        if (JoinCompare.applies(session, p.compiled(), p.source(), p.target(), p.sourceDb(), p.targetDb(), p.sourceOrder(),
                p.key(), p.columns(), p.asText())) {
            List<Entry[]> pending = JoinCompare.run(session, p.sourceDb(), p.source(), p.target(), p.key(), p.columns(), r, EXAMPLES);
            return new Comparison(r, true, null, null, pending);
        }
        DigestFirst.Digests digests = digestsFirst(p);
        if (digests != null && digests.equal()) {
            digests.result().matched(digests.source().rows());
            return new Comparison(digests.result(), false, digests.source(), digests.target(), List.of());
        }
        return merged(p, r);
    }

    /** Both sides in key order, merged key by key. */
    private Comparison merged(ChecksumPlan p, ChecksumResult r) throws SQLException {
        Digest sourceDigest = new Digest();
        Digest targetDigest = new Digest();
        List<Entry[]> pending = new ArrayList<>();
        List<Database> extra = new ArrayList<>();
        try (Sides sides = sides(p, r, extra)) {
            KeyMerge.merge(sides.left()::next, Entry::key, sides.right()::next, Entry::key,
                    new KeyMerge.Visitor<Entry, Entry, SQLException>() {
                        @Override
                        public void both(Entry a, Entry b) {
                            sourceDigest.addHash(a.hash());
                            targetDigest.addHash(b.hash());
                            if (a.hash() == b.hash()) {
                                r.matched(1);
                            } else {
                                r.mismatched(a.key(), a.describedKey());
                                if (pending.size() < EXAMPLES) {
                                    pending.add(new Entry[] {a, b});
                                }
                            }
                        }

                        @Override
                        public void onlyLeft(Entry a) {
                            sourceDigest.addHash(a.hash());
                            r.onlySource(a.key(), a.describedKey());
                        }

                        @Override
                        public void onlyRight(Entry b) {
                            targetDigest.addHash(b.hash());
                            r.onlyTarget(b.key(), b.describedKey());
                        }

                        @Override
                        public void duplicateLeft(Entry a) {
                            r.duplicate("duplicate key in " + p.statement().table() + ": " + a.describedKey());
                        }
                    });
        } finally {
            extra.forEach(Database::close);
        }
        return new Comparison(r, false, sourceDigest, targetDigest, pending);
    }

    /** Column by column, what differs in the first mismatched pairs (rows written meanwhile left out). */
    private void explain(ChecksumPlan p, Comparison c) throws SQLException {
        Evaluator evaluator = session.evaluator();
        for (Entry[] pair : c.pending()) {
            if (p.computedKey()) {
                continue; // sorted by a computed key, the source row is not read again by it: the keys are listed
            }
            if (!c.result().isInFlight(pair[0].key())) {
                c.result().explained(pair[0].describedKey(), ChecksumResult.difference(
                        valuesOf(pair[0], p.source(), p.sourceDb(), p.sourceOrder(), p, evaluator, true),
                        valuesOf(pair[1], p.target(), p.targetDb(), p.key(), p, evaluator, false)));
            }
        }
    }

    private StepResult verdict(Stmt.Checksum s, Comparison c) {
        ChecksumResult r = c.result();
        long differences = r.differences(s.allowExtra());
        StringBuilder message = new StringBuilder(r.summary(s, c.joined()));
        String details = r.details(s);
        if (differences > s.allow()) {
            throw session.error(s.span(), "checksum failed: " + message + (s.allow() > 0 ? " (allowed: " + s.allow() + ")" : "")
                    + details);
        }
        if (differences > 0) {
            message.append(" (within allow ").append(s.allow()).append(')').append(details);
        }
        session.memory().safety().checksumPassed(s.table());
        String digest = c.joined() ? null : "source " + c.sourceDigest() + ", target " + c.targetDigest();
        return new StepResult(r.compared(), 0, 0, digest, message.toString());
    }

    /**
     * Both digests at once, without key order (see {@link DigestFirst}), or null where they cannot stand
     * for the merge. Equal digests are the whole answer; different ones send the checksum to the merge.
     */
    private DigestFirst.Digests digestsFirst(ChecksumPlan p) throws SQLException {
        if (!DigestFirst.applies(p.target(), p.key(), p.sameTable() != null) || p.sourceDb() == p.targetDb() && session.dryRun()) {
            return null;
        }
        ChecksumResult quick = new ChecksumResult(EXAMPLES); // its own: if the digests differ, the merge counts afresh
        ThreadLocal<Evaluator> own = ThreadLocal.withInitial(session::evaluator);
        return DigestFirst.compute(p.sourceDb(), p.source(), p.targetDb(), p.target(),
                row -> sourceEntry(row, p, own.get(), quick),
                row -> targetEntry(row, p.target(), p.key(), p.columns(), null, null), quick,
                WORKERS, session.settings().batch(), session.settings().fetch());
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
    private Sides sides(ChecksumPlan p, ChecksumResult r, List<Database> extra) throws SQLException {
        Database sourceDb = p.sourceDb();
        Database targetDb = p.targetDb();
        boolean threads = sourceDb != targetDb || sourceDb.dialect().concurrentWriters() && !session.dryRun();
        Database targetConnection = targetDb;
        if (threads && sourceDb == targetDb) {
            sourceDb.commit(); // the second connection must see what this one wrote
            targetConnection = targetDb.anotherReader();
            extra.add(targetConnection);
        }
        ChecksumSides.Side left;
        String sourceHash = p.compiled() == null && sameColumns(p.source(), p.target(), p.columns())
                ? CanonicalSql.rowHash(sourceDb.dialect(), p.source(), p.columns()) : null;
        if (sourceHash != null) {
            left = new ChecksumSides.InDatabase(sourceDb, p.source(), p.sourceOrder(), p.asText(), p.key(), p.columns(), p.target(),
                    sourceHash, session.settings().fetch());
        } else {
            TableReader.Cursor cursor = p.asText().isEmpty()
                    ? new TableReader(sourceDb, p.source()).openShort(p.sourceOrder(), session.settings().batch())
                    : new TableReader(sourceDb, p.source()).open(p.sourceOrder(), p.asText(), session.settings().fetch());
            ThreadLocal<Evaluator> own = ThreadLocal.withInitial(session::evaluator);
            left = new ChecksumSides.Mapped(cursor, row -> sourceEntry(row, p, own.get(), r), threads ? WORKERS : 1);
            if (p.computedKey()) {
                left = new SortedSide(left, p.key());
            }
        }
        ChecksumSides.Side right;
        CompiledMap sameTable = p.sameTable();
        String targetHash = sameTable == null ? CanonicalSql.rowHash(targetDb.dialect(), p.target(), p.columns()) : null;
        if (targetHash != null) {
            right = new ChecksumSides.InDatabase(targetConnection, p.target(), p.key(), List.of(), p.key(), p.columns(), p.target(),
                    targetHash, session.settings().fetch());
        } else {
            TableReader.Cursor cursor = new TableReader(targetConnection, p.target()).openShort(p.key(), session.settings().batch());
            ThreadLocal<Evaluator> own = ThreadLocal.withInitial(session::evaluator);
            right = new ChecksumSides.Mapped(cursor, row -> targetEntry(row, p.target(), p.key(), p.columns(), sameTable, own.get()),
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
    private Map<String, String> valuesOf(Entry e, TableInfo table, Database db, List<String> keyColumns, ChecksumPlan p,
                                         Evaluator evaluator, boolean sourceSide) throws SQLException {
        if (e.raw() != null) {
            return e.canonical(p.target(), p.columns());
        }
        List<Row> rows = new TableReader(db, table).byKey(keyColumns, e.key());
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String column : p.columns()) {
            values.put(p.target().column(column).name(), Convert.to(p.target().column(column).type(), rows.get(0).get(column)));
        }
        return ChecksumSides.entry(values, p.target(), p.key(), p.columns()).canonical(p.target(), p.columns());
    }

    /** The entry a source row should have in the target (through the map), or null when the map leaves it out or rejects it. */
    private static Entry sourceEntry(Row row, ChecksumPlan p, Evaluator evaluator, ChecksumResult r) {
        Map<String, Object> values;
        CompiledMap compiled = p.compiled();
        try {
            if (compiled != null) {
                if (!compiled.selects(evaluator, row)) {
                    return null;
                }
                values = compiled.transform(row, evaluator);
            } else {
                values = new LinkedHashMap<>();
                for (String column : p.columns()) {
                    values.put(column, Convert.to(p.target().column(column).type(), row.get(column)));
                }
            }
        } catch (EvalException e) {
            r.unmappable(Keys.describe(p.source(), row), e.getMessage());
            return null;
        }
        return ChecksumSides.entry(values, p.target(), p.key(), p.columns());
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

}
