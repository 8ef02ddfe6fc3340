package dev.mig.plan;

import dev.mig.data.Builtin;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Exprs;
import dev.mig.syntax.Printer;
import dev.mig.syntax.QName;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import dev.mig.syntax.Text;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one statement reads, writes and deletes, in words for a reviewer, plus the tables and connections it
 * touches for the linter and the preflight: the tables it creates when missing ({@code created}), the ones
 * whose content it verifies ({@code verified}), the files or objects it reads or writes ({@code locations}),
 * whether a missing table is something it reports rather than fails on ({@code toleratesMissing}), and the
 * table whose rows it removes for good, for a receipt ({@code removesRows}: archive, purge, a rewrite of backups).
 */
public record Effects(List<String> reads, List<String> writes, List<String> deletes, boolean destructive,
                      List<TableRef> tables, List<TableRef> writtenTables, List<TableRef> created,
                      List<TableRef> verified, List<Text> locations, boolean toleratesMissing, TableRef removesRows) {

    private static final Pattern DESTRUCTIVE_SQL = Pattern.compile(
            "(?is).*\\b(drop|delete|truncate|alter\\s+table\\s+\\S+\\s+drop|update)\\b.*");

    public static Effects of(Stmt stmt) {
        Builder b = new Builder();
        stmt.accept(new Described(b));
        return b.build();
    }

    /** The connections a statement may write: the connections of its written tables, and raw SQL's. */
    public static Set<String> writtenConnections(Stmt stmt) {
        Set<String> out = new LinkedHashSet<>();
        if (stmt instanceof Stmt.Sql s) {
            out.add(s.conn());
        }
        for (TableRef t : of(stmt).writtenTables()) {
            out.add(t.conn());
        }
        return out;
    }

    private static void map(Builder b, Stmt.MapTable s) {
        b.table(s.source()).written(s.target());
        b.read(s.source() + (s.where() == null ? "" : " where " + Printer.expr(s.where())));
        List<String> targets = new ArrayList<>();
        for (Stmt.MapLine line : s.lines()) {
            targets.add(line.target().source());
        }
        String key = s.key().isEmpty() ? "its primary key"
                : String.join(", ", s.key().stream().map(QName::source).toList());
        boolean inPlace = s.source().sameTable(s.target());
        b.write(s.target() + (inPlace ? " in place, by " : ", upsert by ") + key + ": " + String.join(", ", targets));
    }

    private static void assertion(Builder b, Stmt.Assertion a) {
        if (a instanceof Stmt.Assertion.None none) {
            b.verified(none.table()).read(none.table() + (none.where() == null ? "" : " where " + Printer.expr(none.where())));
            return;
        }
        countedTables(((Stmt.Assertion.Holds) a).condition(), b);
        if (b.reads.isEmpty()) {
            b.read("nothing from a database");
        }
    }

    private static void countedTables(Expr condition, Builder b) {
        Exprs.walk(condition, e -> {
            if (e instanceof Expr.Call c && Builtin.of(c.function()) == Builtin.COUNT && c.args().size() == 1
                    && c.args().get(0) instanceof QName q && q.size() == 2 && !q.star()) {
                TableRef table = new TableRef(q.parts().get(0), q.parts().get(1), q.span());
                b.verified(table).read("row count of " + table + (c.where() == null ? "" : " where " + Printer.expr(c.where())));
            }
        });
    }

    /** Every statement's reads, writes and deletes: a new statement does not compile until it is described here. */
    private static final class Described implements Stmt.Visitor<Void> {
        private final Builder b;

        Described(Builder b) {
            this.b = b;
        }

        @Override
        public Void visitMigration(Stmt.Migration s) {
            return null;
        }

        @Override
        public Void visitConnect(Stmt.Connect s) {
            return null;
        }

        @Override
        public Void visitInventory(Stmt.Inventory s) {
            b.toleratesMissing().read(s.table() == null ? "schema and row counts of every table on " + s.conn()
                    : "schema and row count of " + s.conn() + "." + s.table());
            return null;
        }

        @Override
        public Void visitDiff(Stmt.Diff s) {
            b.table(s.left()).table(s.right()).read("schemas of " + s.left() + " and " + s.right());
            if (s.to() != null) {
                b.write("file " + s.to().value());
            }
            return null;
        }

        @Override
        public Void visitSql(Stmt.Sql s) {
            b.write("raw SQL on " + s.conn() + " (may change anything)");
            if (DESTRUCTIVE_SQL.matcher(s.sql().value()).matches()) {
                b.delete("whatever the SQL drops, deletes or updates").destructive();
            }
            return null;
        }

        @Override
        public Void visitBackup(Stmt.Backup s) {
            b.table(s.table()).location(s.file()).read("every row of " + s.table())
                    .write("file " + s.file().value() + " and " + s.file().value() + ".manifest.json");
            return null;
        }

        @Override
        public Void visitRestore(Stmt.Restore s) {
            b.written(s.table()).created(s.table()).location(s.file()).read("file " + s.file().value() + " (verified against its manifest first)")
                    .write(s.table() + ": replaced by the backup's rows").delete("current rows of " + s.table()).destructive();
            return null;
        }

        @Override
        public Void visitFreeze(Stmt.Freeze s) {
            b.written(s.table()).write("capture triggers on " + s.table() + "; its writes are queued in mig_queue");
            return null;
        }

        @Override
        public Void visitUnfreeze(Stmt.Unfreeze s) {
            b.written(s.table()).toleratesMissing().write("removes the capture triggers of " + s.table());
            return null;
        }

        @Override
        public Void visitMapTable(Stmt.MapTable s) {
            map(b, s);
            return null;
        }

        @Override
        public Void visitMapField(Stmt.MapField s) {
            map(b, s.asTableMap());
            return null;
        }

        @Override
        public Void visitRollbackMap(Stmt.RollbackMap s) {
            b.write("mig_maps: how mig rollback carries rows of " + s.map().source() + " back to " + s.map().target()
                    + " (declared; runs only in a rollback)");
            return null;
        }

        @Override
        public Void visitCutover(Stmt.Cutover s) {
            b.written(s.legacy()).written(s.replacement())
                    .read("writes queued on " + s.legacy() + " since the last replay")
                    .write(s.replacement() + " (carried-over writes), then renamed to " + s.legacy().table()
                            + "; applications' writes wait for the switch")
                    .delete("table " + s.legacy() + " (dropped)").destructive();
            return null;
        }

        @Override
        public Void visitReplay(Stmt.Replay s) {
            b.table(s.source()).written(s.target()).read("writes queued on " + s.source() + " since freeze")
                    .write(s.target() + " (through the map " + s.source() + " -> " + s.target() + ")")
                    .delete("rows of " + s.target() + " whose source row was deleted meanwhile");
            return null;
        }

        @Override
        public Void visitChecksum(Stmt.Checksum s) {
            b.table(s.table()).read("every row of " + s.table());
            if (s.target() != null) {
                b.verified(s.target()).read("every row of " + s.target() + " (compared by key"
                        + (s.allow() > 0 ? ", up to " + s.allow() + " differences allowed" : ", no difference allowed") + ")");
            }
            return null;
        }

        @Override
        public Void visitSample(Stmt.Sample s) {
            if (s.target() == null) {
                b.table(s.source()).read(s.count() + " random rows of " + s.source()
                        + (s.where() == null ? "" : " where " + Printer.expr(s.where())) + (s.seed() == null ? "" : " (seed " + s.seed() + ")"));
                return null;
            }
            b.table(s.source()).verified(s.target()).read(s.count() + " random rows of " + s.source() + " and " + s.target()
                    + (s.seed() == null ? "" : " (seed " + s.seed() + ")"));
            if (s.to() != null) {
                b.write("file " + s.to().value());
            }
            return null;
        }

        @Override
        public Void visitAssert(Stmt.Assert s) {
            assertion(b, s.assertion());
            return null;
        }

        @Override
        public Void visitArchive(Stmt.Archive s) {
            b.removesRows(s.table());
            if (s.toFile() != null) {
                b.location(s.toFile());
            } else {
                b.created(s.toTable()); // archive makes its table when missing
            }
            if (s.selective()) {
                String rows = "rows of " + s.table() + (s.by() == null ? "" : " (whole groups by " + s.by() + ")") + " where "
                        + Printer.expr(s.where());
                b.written(s.table()).read(rows);
                b.write((s.toFile() != null ? "file " + s.toFile().value() + " (a new file each run that removes rows)"
                        : s.toTable().toString()) + " (verified before any delete)");
                if (s.toTable() != null) {
                    b.written(s.toTable());
                }
                b.delete(rows + ", in pages, each row only as it was archived; storage reclaimed"
                        + (s.force() ? "" : "; refused if it matches every row")).destructive();
                return null;
            }
            b.written(s.table()).read("every row of " + s.table());
            b.write(s.toFile() != null ? "file " + s.toFile().value() + " (verified before any delete)"
                    : s.toTable() + " (verified before any delete)");
            if (s.toTable() != null) {
                b.written(s.toTable());
            }
            b.delete("every row of " + s.table()).destructive();
            return null;
        }

        @Override
        public Void visitPurge(Stmt.Purge s) {
            b.removesRows(s.table());
            if (s.ifExists()) {
                b.toleratesMissing();
            }
            b.written(s.table()).delete((s.ifExists() ? "(if the table exists) " : "") + (s.where() == null ? "every row of " + s.table()
                    : "rows of " + s.table() + " where " + Printer.expr(s.where())) + ", storage reclaimed").destructive();
            return null;
        }

        @Override
        public Void visitBackupsOf(Stmt.BackupsOf s) {
            b.toleratesMissing().read("the backup and archive files mig recorded for tables named " + s.table().table() + ": rows where "
                    + Printer.expr(s.where()));
            if (s.rewrite()) {
                b.removesRows(s.table()).write("each such file rewritten without those rows, re-verified, its manifest replaced").destructive();
            }
            return null;
        }

        @Override
        public Void visitReceipt(Stmt.Receipt s) {
            b.location(s.file()).write("file " + s.file().value() + ": rows and digests this run removed, per table (no content)");
            return null;
        }

        @Override
        public Void visitPrune(Stmt.Prune s) {
            b.written(s.target().table());
            String what = switch (s.target().path().size()) {
                case 0 -> "table " + s.target().table();
                case 1 -> "column " + s.target().source();
                default -> "JSON key " + String.join(".", s.target().jsonPath()) + " of column "
                        + s.target().column() + " in every row of " + s.target().table();
            };
            b.delete(what + " (dropped)").destructive();
            return null;
        }

        @Override
        public Void visitRollback(Stmt.Rollback s) {
            b.toleratesMissing().write("tables covered by this script's backups, restored; queued writes re-applied")
                    .delete("current rows of those tables").destructive();
            return null;
        }

        @Override
        public Void visitSet(Stmt.Set s) {
            return null;
        }

        @Override
        public Void visitTest(Stmt.Test s) {
            b.read("the application's tests: runs '" + s.command().value() + "' (at most " + s.timeoutSeconds()
                    + " s; a failure stops the run)");
            return null;
        }
    }

    private static final class Builder {
        final List<String> reads = new ArrayList<>();
        final List<String> writes = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();
        final List<TableRef> tables = new ArrayList<>();
        final List<TableRef> written = new ArrayList<>();
        final List<TableRef> created = new ArrayList<>();
        final List<TableRef> verified = new ArrayList<>();
        final List<Text> locations = new ArrayList<>();
        boolean destructive;
        boolean toleratesMissing;
        TableRef removesRows;

        Builder read(String what) {
            reads.add(what);
            return this;
        }

        Builder write(String what) {
            writes.add(what);
            return this;
        }

        Builder delete(String what) {
            deletes.add(what);
            return this;
        }

        Builder table(TableRef table) {
            tables.add(table);
            return this;
        }

        Builder written(TableRef table) {
            tables.add(table);
            written.add(table);
            return this;
        }

        Builder created(TableRef table) {
            created.add(table);
            return this;
        }

        Builder verified(TableRef table) {
            tables.add(table);
            verified.add(table);
            return this;
        }

        Builder location(Text location) {
            locations.add(location);
            return this;
        }

        Builder removesRows(TableRef table) {
            removesRows = table;
            return this;
        }

        Builder toleratesMissing() {
            toleratesMissing = true;
            return this;
        }

        Builder destructive() {
            destructive = true;
            return this;
        }

        Effects build() {
            return new Effects(List.copyOf(reads), List.copyOf(writes), List.copyOf(deletes), destructive,
                    List.copyOf(tables), List.copyOf(written), List.copyOf(created), List.copyOf(verified),
                    List.copyOf(locations), toleratesMissing, removesRows);
        }
    }
}
