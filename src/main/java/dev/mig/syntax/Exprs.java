package dev.mig.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Walking expression trees: the direct children of a node, and every node below it. */
public final class Exprs {
    private Exprs() {
    }

    /** The direct sub-expressions of {@code e}, in source order (a call's where clause last). */
    public static List<Expr> children(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Call c) {
            out.addAll(c.args());
            if (c.where() != null) {
                out.add(c.where());
            }
        } else if (e instanceof Expr.Unary u) {
            out.add(u.operand());
        } else if (e instanceof Expr.Binary b) {
            out.add(b.left());
            out.add(b.right());
        } else if (e instanceof Expr.IsNull n) {
            out.add(n.operand());
        } else if (e instanceof Expr.In in) {
            out.add(in.operand());
            out.addAll(in.options());
        } else if (e instanceof Expr.Cast c) {
            out.add(c.operand());
        } else if (e instanceof Expr.Case c) {
            if (c.subject() != null) {
                out.add(c.subject());
            }
            for (Expr.When w : c.whens()) {
                out.add(w.condition());
                out.add(w.result());
            }
            if (c.otherwise() != null) {
                out.add(c.otherwise());
            }
        }
        return out;
    }

    /** Visits {@code e} and every node below it, parents first. */
    public static void walk(Expr e, Consumer<Expr> visitor) {
        visitor.accept(e);
        for (Expr child : children(e)) {
            walk(child, visitor);
        }
    }
}
