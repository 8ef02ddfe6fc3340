package dev.mig.check;

import dev.mig.data.Builtin;
import dev.mig.syntax.EditDistance;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Exprs;
import dev.mig.syntax.QName;

/**
 * The linter's checks of expressions: every function call known and given its arguments, and the functions
 * that need more than a row (count, first_seen_days, the group functions) only where they can be computed.
 */
final class ExpressionRules {
    private final Linter linter;

    ExpressionRules(Linter linter) {
        this.linter = linter;
    }

    /** Where an expression is: which of the functions that need more than a row it may call. */
    enum Place {
        ROW, ASSERT, POLICY, GROUP_POLICY
    }

    /**
     * Checks calls anywhere in an expression tree: count(...) only in assert, first_seen_days() only in an
     * archive ... where, any/every/max/min only in archive ... by col where (and not nested in each other).
     */
    void check(Expr e, Place place) {
        if (e instanceof Expr.Call c) {
            call(c, place);
            Place inner = groupFunction(c) && place == Place.GROUP_POLICY ? Place.POLICY : place;
            c.args().forEach(arg -> check(arg, inner));
            if (c.where() != null) {
                check(c.where(), Place.ROW);
            }
            return;
        }
        if (e instanceof Expr.In in && in.select() != null) {
            check(in.operand(), place);
            check(in.select().value(), Place.ROW);
            if (in.select().where() != null) {
                check(in.select().where(), Place.ROW);
            }
            return;
        }
        for (Expr child : Exprs.children(e)) {
            check(child, place);
        }
    }

    private void call(Expr.Call c, Place place) {
        Builtin info = Builtin.of(c.function());
        if (info == null) {
            String hint = "";
            for (Builtin known : Builtin.values()) {
                if (EditDistance.of(known.id(), c.function()) <= 2) {
                    hint = " (did you mean '" + known.id() + "'?)";
                    break;
                }
            }
            linter.error(Rule.FUNCTION_UNKNOWN, c.span(), "unknown function '" + c.function() + "'" + hint);
            return;
        }
        if (!info.accepts(c.args().size())) {
            linter.error(Rule.FUNCTION_ARITY, c.span(), c.function() + " takes " + info.signature() + ", not " + c.args().size() + " argument"
                    + (c.args().size() == 1 ? "" : "s"));
        }
        if (c.function().equals("count")) {
            if (place != Place.ASSERT) {
                linter.error(Rule.COUNT_PLACE, c.span(), "count(...) counts table rows and is allowed in assert only");
            } else if (!(c.args().size() == 1 && c.args().get(0) instanceof QName q && q.size() == 2 && !q.star())) {
                linter.error(Rule.COUNT_PLACE, c.span(), "count takes a table: count(conn.table [where cond])");
            }
        } else if (c.where() != null) {
            linter.error(Rule.WHERE_PLACE, c.where().span(), "only count(...) takes a where clause");
        }
        if (groupFunction(c) && place != Place.GROUP_POLICY) {
            linter.error(Rule.GROUP_PLACE, c.span(), c.function() + "(...) works over a group of rows and is allowed in "
                    + "archive conn.table by col where ... only (not nested in another)");
        }
        if (c.function().equals("first_seen_days") && place != Place.POLICY && place != Place.GROUP_POLICY) {
            linter.error(Rule.GROUP_PLACE, c.span(), "first_seen_days() reads mig's registry of rows seen by a policy and is allowed in "
                    + "archive conn.table where ... only");
        }
    }

    /** any, every, max, min: functions over a group of rows. */
    private static boolean groupFunction(Expr.Call c) {
        Builtin fn = Builtin.of(c.function());
        return fn != null && fn.reads() == Builtin.Reads.GROUP;
    }
}
