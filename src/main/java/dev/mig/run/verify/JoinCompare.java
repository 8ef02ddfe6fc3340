package dev.mig.run.verify;

import dev.mig.data.LogicalType;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.CanonicalSql;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.map.KeySlices.Slice;
import dev.mig.run.map.KeySlices;
import dev.mig.run.map.Workers;
import dev.mig.run.session.Session;
import dev.mig.run.session.Settings;
import dev.mig.run.verify.ChecksumSides.Entry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code checksum A.t -> A.u} for two tables of one PostgreSQL database with the same columns
 * and no map: compared inside the database by a join on the (unique) key, value by value (equal
 * types compare exactly; no canonical text is built) - one statement PostgreSQL runs on its own
 * parallel workers, or key slices on their own connections with {@code set parallel N}. Only counts
 * and a few example keys come back (the keys by a full join, only when something differs); no
 * digests are computed.
 */
final class JoinCompare {
    private static final int EXAMPLES_READ = 100;

    private JoinCompare() {
    }

    static boolean applies(Session session, CompiledMap compiled, TableInfo source, TableInfo target, Database sourceDb,
                           Database targetDb, List<String> sourceOrder, List<String> key, List<String> columns,
                           List<String> asText) {
        if (!session.settings().pushdown() || compiled != null || sourceDb != targetDb || !CanonicalSql.inDatabase(sourceDb.dialect())
                || !asText.isEmpty() || !source.isUnique(sourceOrder) || !target.isUnique(key)) {
            return false;
        }
        for (String name : columns) {
            Column s = source.column(name);
            Column t = target.column(name);
            if (s == null || t == null || !s.name().equals(t.name()) || !s.declaredType().equalsIgnoreCase(t.declaredType())
                    || s.type() == LogicalType.JSON && !s.declaredType().equalsIgnoreCase("jsonb")) {
                return false; // json has no equality; other types would compare differently than their canonical text
            }
        }
        return sourceOrder.equals(key);
    }

    /** Fills the counts and examples; returns the mismatched key pairs to describe. */
    static List<Entry[]> run(Session session, Database db, TableInfo source, TableInfo target, List<String> key,
                             List<String> columns, ChecksumResult r, int examples) throws SQLException {
        KeySlices slicing = new KeySlices(source, key);
        // With nothing set, one statement: PostgreSQL runs its join on parallel workers of its own.
        boolean one = session.dryRun() || session.settings().parallel() == Settings.AUTO;
        List<Slice> slices = one ? KeySlices.one() : slicing.plan(db, session.settings());
        List<Entry[]> pending = new ArrayList<>();
        if (slices.size() == 1) {
            slice(db, slicing, source, target, key, columns, slices.get(0), r, pending, examples);
            return pending;
        }
        db.commit(); // the other connections must see what this one wrote
        List<Database> connections = new ArrayList<>();
        try {
            List<Workers.Task> tasks = new ArrayList<>();
            for (Slice slice : slices) {
                Database on = db.anotherReader();
                connections.add(on);
                tasks.add(() -> slice(on, slicing, source, target, key, columns, slice, r, pending, examples));
            }
            Workers.runAll("mig-checksum-slice", tasks);
        } finally {
            connections.forEach(Database::close);
        }
        return pending;
    }

    private static void slice(Database on, KeySlices slicing, TableInfo source, TableInfo target, List<String> key,
                              List<String> columns, Slice slice, ChecksumResult r, List<Entry[]> pending, int examples)
            throws SQLException {
        String join = join(on, source, target, key, columns).replace("?RANGE", slicing.range(on, slice.after, slice.upTo));
        long[] counts = new long[4];
        try (Statement s = on.connection().createStatement()) {
            s.execute("SET LOCAL work_mem = '256MB'"); // the hash join of a slice stays in memory; ends with the transaction
        }
        String same = same(on, columns);
        // Both keys are unique: a left join (which PostgreSQL runs as a parallel hash join, where a full join
        // runs on one core) and the target's row count give what a full join would.
        String range = slicing.range(on, slice.after, slice.upTo);
        String keyMatch = keyMatch(on, key);
        String targetTable = on.dialect().table(target.name());
        String sql = "SELECT (SELECT count(*) FROM " + targetTable + " WHERE " + range + "), count(*), count(t.\"mig$in\"), "
                + "count(*) FILTER (WHERE t.\"mig$in\" AND " + same + ") FROM (SELECT * FROM "
                + on.dialect().table(source.name()) + " WHERE " + range + ") AS s LEFT JOIN (SELECT TRUE AS \"mig$in\", * FROM "
                + targetTable + " WHERE " + range + ") AS t ON " + keyMatch;
        try (PreparedStatement ps = on.connection().prepareStatement(sql)) {
            bind(on, slicing, ps, slice, 3);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long targetRows = rs.getLong(1);
                long sourceRows = rs.getLong(2);
                long joined = rs.getLong(3);
                counts[0] = rs.getLong(4);
                counts[1] = joined - counts[0];
                counts[2] = sourceRows - joined;
                counts[3] = targetRows - joined;
            }
        }
        List<Object[]> found = new ArrayList<>();
        if (counts[1] + counts[2] + counts[3] > 0) {
            String keys = String.join(", ", key.stream().map(k -> "coalesce(s." + q(on, k) + ", t." + q(on, k) + ")").toList());
            String examplesSql = "SELECT CASE WHEN t.\"mig$in\" IS NULL THEN 's' WHEN s.\"mig$in\" IS NULL THEN 't' ELSE 'm' END, "
                    + keys + " FROM " + join + " WHERE s.\"mig$in\" IS NULL OR t.\"mig$in\" IS NULL OR NOT " + same
                    + " ORDER BY " + keys + " LIMIT " + EXAMPLES_READ;
            try (PreparedStatement ps = on.connection().prepareStatement(examplesSql)) {
                bind(on, slicing, ps, slice, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<Object> values = new ArrayList<>();
                        for (int i = 0; i < key.size(); i++) {
                            values.add(on.dialect().read(rs, i + 2, source.column(key.get(i))));
                        }
                        found.add(new Object[] {rs.getString(1), values});
                    }
                }
            }
        }
        on.commit();
        synchronized (r) {
            r.counted(counts[0], counts[1], counts[2], counts[3]);
            for (Object[] f : found) {
                @SuppressWarnings("unchecked")
                List<Object> values = (List<Object>) f[1];
                Entry e = new Entry(values, 0, key, null);
                switch ((String) f[0]) {
                    case "s" -> r.sourceOnlyExample(e.describedKey());
                    case "t" -> r.targetOnlyExample(e.describedKey());
                    default -> {
                        if (pending.size() < examples) {
                            pending.add(new Entry[] {e, e});
                        }
                    }
                }
            }
        }
    }

    private static String join(Database on, TableInfo source, TableInfo target, List<String> key, List<String> columns) {
        String list = String.join(", ", columns.stream().map(c -> q(on, c)).toList());
        return "(SELECT TRUE AS \"mig$in\", " + list + " FROM " + on.dialect().table(source.name()) + " WHERE ?RANGE) AS s "
                + "FULL JOIN (SELECT TRUE AS \"mig$in\", " + list + " FROM " + on.dialect().table(target.name())
                + " WHERE ?RANGE) AS t ON " + keyMatch(on, key);
    }

    /** The key columns of s and t equal. */
    private static String keyMatch(Database on, List<String> key) {
        return String.join(" AND ", key.stream().map(k -> "s." + q(on, k) + " = t." + q(on, k)).toList());
    }

    private static String same(Database on, List<String> columns) {
        List<String> parts = new ArrayList<>();
        for (String c : columns) {
            parts.add("s." + q(on, c) + " IS NOT DISTINCT FROM t." + q(on, c));
        }
        return parts.isEmpty() ? "TRUE" : "(" + String.join(" AND ", parts) + ")";
    }

    /** The slice's range, as often as the statement has it (the same key values: the key columns have the same types). */
    private static void bind(Database on, KeySlices slicing, PreparedStatement ps, Slice slice, int times) throws SQLException {
        int per = (slice.after == null ? 0 : slice.after.size()) + (slice.upTo == null ? 0 : slice.upTo.size());
        for (int i = 0; i < times; i++) {
            slicing.bindRange(on, ps, 1 + i * per, slice.after, slice.upTo);
        }
    }

    private static String q(Database on, String name) {
        return on.dialect().quote(name);
    }
}
