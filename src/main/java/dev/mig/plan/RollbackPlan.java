package dev.mig.plan;

import dev.mig.syntax.Expr;
import dev.mig.syntax.Printer;
import dev.mig.syntax.QName;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.util.ArrayList;
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
    private static final Set<String> INVERTIBLE = Set.of("upper", "lower", "trim", "utc", "coalesce");

    private RollbackPlan() {
    }

    public static List<String> lines(Script script) {
        Map<String, Stmt.Backup> backups = new LinkedHashMap<>();
        Map<String, Stmt.MapTable> maps = new LinkedHashMap<>();
        Map<String, Stmt.Cutover> cutovers = new LinkedHashMap<>();
        Map<String, Stmt.MapTable> declared = new LinkedHashMap<>();
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Backup b) {
                backups.putIfAbsent(b.table().toString(), b);
            } else if (stmt instanceof Stmt.MapTable m) {
                maps.put(m.source() + "->" + m.target(), m);
            } else if (stmt instanceof Stmt.Cutover c) {
                cutovers.put(c.legacy().toString(), c);
            } else if (stmt instanceof Stmt.RollbackMap r) {
                declared.put(r.map().source() + "->" + r.map().target(), r.map());
            }
        }
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
        if (e instanceof QName q && q.size() == 1 && !q.star()) {
            return q.first();
        }
        if (e instanceof Expr.Cast c) {
            return invertible(c.operand());
        }
        if (e instanceof Expr.Call c && INVERTIBLE.contains(c.function().toLowerCase(Locale.ROOT)) && !c.args().isEmpty()) {
            return invertible(c.args().get(0));
        }
        return null;
    }
}
