package dev.mig.run.lifecycle;

import dev.mig.data.Canonical;
import dev.mig.data.Compare;
import dev.mig.data.Digest;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Builtin;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.data.Timestamps;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.session.Session;
import dev.mig.state.SeenRegistry;
import dev.mig.syntax.Expr;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pass 1 of a policy: the table read in pages of short transactions (in key order; with {@code by}, in
 * group then key order, whole groups evaluated at once), every row due listed with its key and hash.
 */
final class PolicyScan {
    /** A group larger than this is not one memory's events: refused rather than held in memory. */
    static final int GROUP_LIMIT = 1_000_000;

    private final Session session;
    private final Database db;
    private final TableInfo table;
    private final List<String> key;
    private final String by;
    private final SeenRegistry seen;
    private final Map<String, LogicalType> types;
    private final List<Row> group = new ArrayList<>();
    private String groupValue;

    PolicyScan(Session session, Database db, TableInfo table, List<String> key, String by, SeenRegistry seen) {
        this.session = session;
        this.db = db;
        this.table = table;
        this.key = key;
        this.by = by;
        this.seen = seen;
        this.types = table.types();
    }

    /**
     * With {@code by}: an index on (by, key) so that each page is an index range, not a sort of the table;
     * created when missing (an index only; mem0 checks column names, not indexes). Returns a note for the output.
     */
    String prepare() throws SQLException {
        if (by == null) {
            return "";
        }
        if (key.equals(List.of("rowid"))) {
            throw new SQLException("archive ... by needs a primary key on " + table.name());
        }
        String bare = table.name().contains(".") ? table.name().substring(table.name().lastIndexOf('.') + 1) : table.name();
        String index = ("mig_" + bare + "_by_" + by).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (db.dialect().hasIndex(db.connection(), table.name(), index)) {
            return "";
        }
        db.commit(); // the index check read; the CREATE starts a transaction of its own (see endOfPage)
        List<String> columns = new ArrayList<>();
        columns.add(db.dialect().quote(table.column(by).name()));
        key.forEach(k -> columns.add(db.dialect().quote(table.column(k).name())));
        try (Statement st = db.connection().createStatement()) {
            st.execute("CREATE INDEX IF NOT EXISTS " + db.dialect().quote(index) + " ON " + db.dialect().table(table.name())
                    + " (" + String.join(", ", columns) + ")");
        }
        db.commit();
        db.schemaChanged();
        return "; index " + index + " created to read " + by + " groups in pages";
    }

    /**
     * What is due now, read only (mig plan --due): one read of the table in order, no index made, nothing
     * recorded; rows the registry has not seen count as seen now.
     */
    long[] countDue(Expr where) throws SQLException {
        try (RemovalList due = new RemovalList()) {
            Evaluator rows = session.evaluator(this::rowFunction);
            List<String> order = new ArrayList<>();
            if (by != null) {
                order.add(table.column(by).name());
            }
            order.addAll(key);
            long n = new TableReader(db, table).ordered(order, row -> {
                if (by == null) {
                    if (rows.test(where, row)) {
                        due.add(keyOf(row), 0);
                    }
                } else if (row.get(by) != null) {
                    String value = Evaluator.setKey(row.get(by));
                    if (!group.isEmpty() && !value.equals(groupValue)) {
                        finishGroup(where, rows, due);
                    }
                    groupValue = value;
                    group.add(row);
                }
            }, session.settings().fetch());
            if (!group.isEmpty()) {
                finishGroup(where, rows, due);
            }
            db.commit();
            return new long[] {due.size(), n};
        }
    }

    /** Reads every row (with by: every row whose group value is not null); lists those due. Returns rows read. */
    long run(Expr where, RemovalList due) throws SQLException {
        Evaluator rows = session.evaluator(this::rowFunction);
        Database state = session.connections().state();
        TableReader reader = new TableReader(db, table);
        List<String> order = new ArrayList<>();
        String condition = null;
        if (by != null) {
            order.add(table.column(by).name());
            condition = db.dialect().quote(table.column(by).name()) + " IS NOT NULL";
        }
        order.addAll(key);
        db.commit(); // each page its own short read: a live writer gets its turn between pages
        long n = reader.pages(order, session.settings().batch(), null, null, condition, row -> {
            if (by == null) {
                if (rows.test(where, row)) {
                    due.add(keyOf(row), hash(row));
                }
            } else {
                String value = Evaluator.setKey(row.get(by));
                if (!group.isEmpty() && !value.equals(groupValue)) {
                    finishGroup(where, rows, due);
                }
                groupValue = value;
                group.add(row);
                if (group.size() > GROUP_LIMIT) {
                    throw new EvalException("the group " + by + " = " + value + " has more than " + GROUP_LIMIT + " rows");
                }
            }
        }, lastKey -> endOfPage(state));
        if (!group.isEmpty()) {
            finishGroup(where, rows, due);
            endOfPage(state);
        }
        return n;
    }

    /**
     * The page's read ends before the registry is written: on SQLite a transaction that read and then
     * writes fails at once (SQLITE_BUSY, no waiting) when an application is writing.
     */
    private void endOfPage(Database state) throws SQLException {
        db.commit();
        seen.flush();
        if (state != null) {
            state.commit();
        }
        db.commit();
    }

    private void finishGroup(Expr where, Evaluator rows, RemovalList due) {
        List<Row> members = List.copyOf(group);
        group.clear();
        Evaluator groups = rows.with((call, row) -> aggregate(call, members, rows));
        if (groups.test(where, members.get(0))) {
            for (Row r : members) {
                due.add(keyOf(r), hash(r));
            }
        }
    }

    /** any/every/max/min over the group's rows; first_seen_days() of the group's first row. */
    private Object aggregate(Expr.Call call, List<Row> members, Evaluator rows) {
        Builtin fn = Builtin.of(call.function());
        if (fn == null || fn.reads() != Builtin.Reads.GROUP) {
            return rowFunction(call, members.get(0));
        }
        Expr arg = call.args().get(0);
        switch (fn) {
            case ANY:
                return members.stream().anyMatch(r -> rows.test(arg, r));
            case EVERY:
                return members.stream().allMatch(r -> rows.test(arg, r));
            default: // max, min
                Object best = null;
                for (Row r : members) {
                    Object v = rows.eval(arg, r);
                    if (v != null && (best == null || (fn == Builtin.MAX ? Compare.compare(v, best) > 0 : Compare.compare(v, best) < 0))) {
                        best = v;
                    }
                }
                return best;
        }
    }

    /** first_seen_days() for a row: days since mig's registry first recorded its key (0 the first time). */
    private Object rowFunction(Expr.Call call, Row row) {
        Builtin fn = Builtin.of(call.function());
        if (fn != Builtin.FIRST_SEEN_DAYS) {
            String name = call.function().toLowerCase(Locale.ROOT);
            throw new EvalException(name + "(...) is allowed " + (fn == Builtin.COUNT ? "in assert only" : "in archive ... by col where only"));
        }
        try {
            Instant first = seen.firstSeen(Values.JSON.valueToTree(keyOf(row).stream().map(Evaluator::setKey).toList()).toString());
            return Timestamps.days(first, session.statementStart());
        } catch (SQLException e) {
            throw new EvalException(db.error("cannot read mig_seen", e).getMessage());
        }
    }

    private List<Object> keyOf(Row row) {
        List<Object> values = new ArrayList<>();
        for (String k : key) {
            values.add(row.get(k));
        }
        return values;
    }

    long hash(Row row) {
        return Digest.rowHash(Canonical.row(row.values(), types));
    }
}
