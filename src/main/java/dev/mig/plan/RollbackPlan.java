package dev.mig.plan;

import dev.mig.data.Builtin;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Printer;
import dev.mig.syntax.QName;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** What {@code mig rollback VERSION} would do for this script, in words for the plan. */
public final class RollbackPlan {
    private static final Set<Builtin> INVERTIBLE = EnumSet.of(Builtin.UPPER, Builtin.LOWER, Builtin.TRIM, Builtin.UTC, Builtin.COALESCE);

    private RollbackPlan() {
    }

    public static List<String> lines(Script script) {
        Found found = new Found();
        script.statements().forEach(stmt -> stmt.accept(found));
        Map<String, Stmt.Backup> backups = found.backups;
        Map<String, Stmt.MapTable> maps = found.maps;
        Map<String, Stmt.Cutover> cutovers = found.cutovers;
        Map<String, Stmt.MapTable> declared = found.declared;
        List<String> out = new ArrayList<>();
        if (backups.isEmpty()) {
            out.add("nothing: the script takes no backup");
            return out;
        }
        String version = script.header().map(Stmt.Migration::version).orElse("?");
        var written = writtenBy(script);
        for (Stmt.Backup b : backups.values()) {
            String table = b.table().toString();
            if (!written.test(b.table())) {
                out.add(table + ": not written by this migration, left as it is (restoring it would only undo writes made since)");
                continue;
            }
            Stmt.Cutover cut = cutovers.get(table);
            if (cut == null) {
                out.add(table + ": restored from " + b.file().value() + " (verified against its manifest), then the writes "
                        + "queued since that backup are applied again");
                continue;
            }
            out.add(table + ": after the cutover it holds " + cut.replacement().table() + "'s rows; that table is renamed "
                    + b.table().table() + "_after_v" + version.replaceAll("[^A-Za-z0-9]", "_") + " (kept), " + table
                    + " comes back from " + b.file().value() + ", and rows written since are carried back:");
            Stmt.MapTable map = maps.get(table + "->" + cut.replacement());
            if (map == null) {
                out.add("  (no map " + table + " -> " + cut.replacement() + " in this script: the one recorded in mig_maps)");
                continue;
            }
            Set<String> given = new LinkedHashSet<>();
            Stmt.MapTable back = declared.get(cut.replacement() + "->" + table);
            if (back != null) {
                for (Stmt.MapLine line : back.lines()) {
                    if (given.add(line.target().first().toLowerCase(Locale.ROOT))) {
                        out.add("  " + line.target().source() + " <- " + Printer.expr(line.source()) + "   (on rollback map)");
                    }
                }
            }
            for (Stmt.MapLine line : map.lines()) {
                String from = invertible(line.source());
                if (from != null && line.target().size() == 1 && given.add(from.toLowerCase(Locale.ROOT))) {
                    out.add("  " + from + " <- " + line.target().source());
                }
            }
            out.add("  other columns keep their value (a new row: NULL; a NOT NULL one is rejected with the reason)");
        }
        return out;
    }

    /** The tables a script can have written: those its statements write, and any on a connection raw SQL ran on. */
    public static Predicate<TableRef> writtenBy(Script script) {
        Set<String> tables = new HashSet<>();
        Set<String> sqlConnections = new HashSet<>();
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Sql s) {
                sqlConnections.add(s.conn());
            }
            for (TableRef t : Effects.of(stmt).writtenTables()) {
                tables.add(t.conn() + "." + t.table().toLowerCase(Locale.ROOT));
            }
        }
        return t -> sqlConnections.contains(t.conn()) || tables.contains(t.conn() + "." + t.table().toLowerCase(Locale.ROOT));
    }

    /**
     * The one legacy column a map line's value can be carried back into, or null: a plain copy, a cast,
     * or upper/lower/trim/utc/coalesce of it (case, spelling and fallbacks are not recovered).
     */
    public static String invertible(Expr e) {
        return e.accept(INVERSE, null);
    }

    private static final Expr.Visitor<String, Void> INVERSE = new Expr.Visitor<>() {
        @Override
        public String visitName(QName q, Void arg) {
            return q.size() == 1 && !q.star() ? q.first() : null;
        }

        @Override
        public String visitCast(Expr.Cast c, Void arg) {
            return invertible(c.operand());
        }

        @Override
        public String visitCall(Expr.Call c, Void arg) {
            return INVERTIBLE.contains(Builtin.of(c.function())) && !c.args().isEmpty() ? invertible(c.args().get(0)) : null;
        }

        @Override
        public String visitLiteral(Expr.Literal e, Void arg) {
            return null;
        }

        @Override
        public String visitUnary(Expr.Unary e, Void arg) {
            return null;
        }

        @Override
        public String visitBinary(Expr.Binary e, Void arg) {
            return null;
        }

        @Override
        public String visitIsNull(Expr.IsNull e, Void arg) {
            return null;
        }

        @Override
        public String visitIn(Expr.In e, Void arg) {
            return null;
        }

        @Override
        public String visitCase(Expr.Case e, Void arg) {
            return null;
        }
    };

    /**
     * What a rollback rests on, statement by statement: backups, maps (a one-field map is one too), cutovers
     * and declared rollback maps. Every statement is answered here, so a new one is weighed for rollback.
     */
    private static final class Found implements Stmt.Visitor<Void> {
        final Map<String, Stmt.Backup> backups = new LinkedHashMap<>();
        final Map<String, Stmt.MapTable> maps = new LinkedHashMap<>();
        final Map<String, Stmt.Cutover> cutovers = new LinkedHashMap<>();
        final Map<String, Stmt.MapTable> declared = new LinkedHashMap<>();

        private Void map(Stmt.MapTable m) {
            maps.put(m.source() + "->" + m.target(), m);
            return null;
        }

        @Override
        public Void visitBackup(Stmt.Backup s) {
            backups.putIfAbsent(s.table().toString(), s);
            return null;
        }

        @Override
        public Void visitMapTable(Stmt.MapTable s) {
            return map(s);
        }

        @Override
        public Void visitMapField(Stmt.MapField s) {
            return map(s.asTableMap());
        }

        @Override
        public Void visitCutover(Stmt.Cutover s) {
            cutovers.put(s.legacy().toString(), s);
            return null;
        }

        @Override
        public Void visitRollbackMap(Stmt.RollbackMap s) {
            declared.put(s.map().source() + "->" + s.map().target(), s.map());
            return null;
        }

        // what the other statements write is weighed by writtenBy (their Effects), not here

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
            return null;
        }

        @Override
        public Void visitDiff(Stmt.Diff s) {
            return null;
        }

        @Override
        public Void visitSql(Stmt.Sql s) {
            return null;
        }

        @Override
        public Void visitRestore(Stmt.Restore s) {
            return null;
        }

        @Override
        public Void visitFreeze(Stmt.Freeze s) {
            return null;
        }

        @Override
        public Void visitUnfreeze(Stmt.Unfreeze s) {
            return null;
        }

        @Override
        public Void visitReplay(Stmt.Replay s) {
            return null;
        }

        @Override
        public Void visitChecksum(Stmt.Checksum s) {
            return null;
        }

        @Override
        public Void visitSample(Stmt.Sample s) {
            return null;
        }

        @Override
        public Void visitAssert(Stmt.Assert s) {
            return null;
        }

        @Override
        public Void visitArchive(Stmt.Archive s) {
            return null;
        }

        @Override
        public Void visitPurge(Stmt.Purge s) {
            return null;
        }

        @Override
        public Void visitBackupsOf(Stmt.BackupsOf s) {
            return null;
        }

        @Override
        public Void visitReceipt(Stmt.Receipt s) {
            return null;
        }

        @Override
        public Void visitPrune(Stmt.Prune s) {
            return null;
        }

        @Override
        public Void visitRollback(Stmt.Rollback s) {
            return null;
        }

        @Override
        public Void visitSet(Stmt.Set s) {
            return null;
        }

        @Override
        public Void visitTest(Stmt.Test s) {
            return null;
        }
    }
}
