package dev.mig.check;

import dev.mig.plan.Effects;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.util.List;

/**
 * Warnings for what a reviewer must not miss in a pull request (the others, destructive statements
 * without a guard, {@code force} and passwords, come from the linter and {@link Guards}): raw SQL, which
 * mig cannot check, plan or roll back, and a map whose result nothing in the script checks.
 */
final class ReviewRules {
    private ReviewRules() {
    }

    static void check(Script script, Linter linter) {
        List<Stmt> statements = script.statements();
        for (int i = 0; i < statements.size(); i++) {
            Stmt stmt = statements.get(i);
            if (stmt instanceof Stmt.Sql s) {
                linter.warning(Rule.RAW_SQL, s.span(), "raw SQL on '" + s.conn() + "': mig cannot check, plan or roll back what it does; "
                        + "review it by hand");
            } else if (stmt instanceof Stmt.MapTable || stmt instanceof Stmt.MapField) {
                Stmt.MapTable map = stmt instanceof Stmt.MapField f ? f.asTableMap() : (Stmt.MapTable) stmt;
                if (!checkedLater(statements.subList(i + 1, statements.size()), map)) {
                    linter.warning(Rule.MAP_UNCHECKED, map.span(), "nothing after this map checks what it wrote to " + map.target() + ": add "
                            + "'checksum " + map.source() + " -> " + map.target() + "' (or a sample or an assert of it)");
                }
            }
        }
    }

    private static boolean checkedLater(List<Stmt> later, Stmt.MapTable map) {
        for (Stmt s : later) {
            if (s instanceof Stmt.Checksum c && c.target() != null && c.target().sameTable(map.target())
                    || s instanceof Stmt.Sample sample && sample.target() != null && sample.target().sameTable(map.target())) {
                return true;
            }
            if (s instanceof Stmt.Assert) {
                for (TableRef t : Effects.of(s).tables()) {
                    if (t.sameTable(map.target())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
