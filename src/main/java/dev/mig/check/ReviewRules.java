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
            } else if (stmt.tableMap() != null) {
                Stmt.MapTable map = stmt.tableMap();
                if (!checkedLater(statements.subList(i + 1, statements.size()), map)) {
                    linter.warning(Rule.MAP_UNCHECKED, map.span(), "nothing after this map checks what it wrote to " + map.target() + ": add "
                            + "'checksum " + map.source() + " -> " + map.target() + "' (or a sample or an assert of it)");
                }
            }
        }
    }

    /** A checksum, sample or assert after the map verifies what it wrote. */
    private static boolean checkedLater(List<Stmt> later, Stmt.MapTable map) {
        return later.stream().anyMatch(s -> Effects.of(s).verified().stream().anyMatch(t -> t.sameTable(map.target())));
    }
}
