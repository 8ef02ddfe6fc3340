package dev.mig.run.verify;

import dev.mig.data.Digest;
import dev.mig.data.Row;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.verify.ChecksumSides.Entry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code checksum A.t -> B.u}, digests first: each side read as it is stored (no key order, so no
 * index lookup per row), the source through the map, both hashed by mig's worker threads, both sides
 * at once. Equal digests (row count and the sum of the same row hashes the key-by-key merge compares)
 * mean every row matched: with a unique target key, equal multisets of (key, row) leave nothing for
 * the merge to find. Different digests say nothing about which keys: then the merge runs.
 */
final class DigestFirst {
    /** What the digests found: the source's (through the map) and the target's, and the source rows the map rejects. */
    record Digests(Digest source, Digest target, ChecksumResult result) {
        boolean equal() {
            return source.toString().equals(target.toString());
        }
    }

    private DigestFirst() {
    }

    /** Whether the digests can stand for the merge: a target with a unique key, not a map in place. */
    static boolean applies(TableInfo target, List<String> key, boolean inPlace) {
        return !inPlace && target.isUnique(key);
    }

    /**
     * Both digests, computed at once, each side read as it is stored on its own reader thread and
     * hashed on worker threads. {@code sourceEntries} turns a source row into its entry (null when the
     * map leaves the row out or rejects it, which it counts in {@code result}).
     */
    static Digests compute(Database sourceDb, TableInfo source, Database targetDb, TableInfo target,
                           ChecksumSides.RowToEntry sourceEntries, ChecksumSides.RowToEntry targetEntries,
                           ChecksumResult result, int workers, int pageSize, int fetchSize) throws SQLException {
        boolean sameConnection = sourceDb == targetDb;
        if (sameConnection) {
            sourceDb.commit(); // the second connection must see what this one wrote
        }
        Database targetConnection = sameConnection ? targetDb.anotherReader() : targetDb;
        try {
            CompletableFuture<Digest> targetDigest = CompletableFuture.supplyAsync(() -> {
                try {
                    return digest(TableReader.forDigest(targetConnection, target).openInStorageOrder(pageSize, fetchSize),
                            targetEntries, workers, "mig-digest-target");
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            Digest sourceDigest = digest(new TableReader(sourceDb, source).openInStorageOrder(pageSize, fetchSize),
                    sourceEntries, workers, "mig-digest-source");
            try {
                return new Digests(sourceDigest, targetDigest.join(), result);
            } catch (CompletionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e;
            }
        } finally {
            if (sameConnection) {
                targetConnection.close();
            }
        }
    }

    /** Rows a worker takes from the cursor at a time: small, so little is in flight between collections. */
    private static final int TAKE = 500;

    /**
     * The digest of a side's entries. Hashed by mig, not by PostgreSQL: its canonical text in SQL costs
     * 6.4 us a row of history in one backend (to_json per column, timestamps as text, sha256), mig's
     * about a third of that (docs/benchmarks.md). Order does not matter to a sum, so the workers take
     * rows from the cursor in turns and each sums its own; nothing waits to be put back in order.
     */
    /**
     * The next rows of the cursor, up to TAKE; false at its end. This loop, the one in {@link #sum} and the
     * thread's own are three methods so that the JIT compiles each on its own: as one loop, compiled on the
     * stack with the reader and the row hashing inlined into it (84 kB), it was compiled again after each
     * deoptimisation of anything inside - 21 times, about 3 s of C2 time on two cores, in a 1M-row checksum.
     */
    private static boolean take(TableReader.Cursor cursor, List<Row> rows) throws SQLException {
        rows.clear();
        synchronized (cursor) {
            for (Row row = cursor.next(); row != null; row = rows.size() < TAKE ? cursor.next() : null) {
                rows.add(row);
            }
        }
        return !rows.isEmpty();
    }

    private static void sum(List<Row> rows, ChecksumSides.RowToEntry entries, Digest sum) throws SQLException {
        for (int i = 0; i < rows.size(); i++) {
            Entry e = entries.apply(rows.get(i));
            if (e != null) {
                sum.addHash(e.hash());
            }
        }
    }

    private static Digest digest(TableReader.Cursor cursor, ChecksumSides.RowToEntry entries, int workers, String name)
            throws SQLException {
        try (cursor) {
            Digest[] sums = new Digest[workers];
            Throwable[] failure = new Throwable[1];
            Thread[] threads = new Thread[workers];
            for (int w = 0; w < workers; w++) {
                Digest sum = sums[w] = new Digest();
                threads[w] = new Thread(() -> {
                    try {
                        List<Row> rows = new ArrayList<>(TAKE);
                        while (failure[0] == null && take(cursor, rows)) {
                            sum(rows, entries, sum);
                        }
                    } catch (Throwable t) {
                        synchronized (failure) {
                            if (failure[0] == null) {
                                failure[0] = t;
                            }
                        }
                    }
                }, name);
                threads[w].start();
            }
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", e);
                }
            }
            if (failure[0] instanceof SQLException sql) {
                throw sql;
            }
            if (failure[0] instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure[0] != null) {
                throw new IllegalStateException(failure[0]);
            }
            Digest total = new Digest();
            for (Digest sum : sums) {
                total.add(sum);
            }
            return total;
        }
    }
}
