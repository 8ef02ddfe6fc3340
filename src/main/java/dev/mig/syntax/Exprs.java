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
        e.accept(CHILDREN, out);
        return out;
    }

    private static final Expr.Visitor<Void, List<Expr>> CHILDREN = new Expr.Visitor<>() {
        @Override
        public Void visitLiteral(Expr.Literal e, List<Expr> out) {
            return null;
        }

        @Override
        public Void visitName(QName e, List<Expr> out) {
            return null;
        }

        @Override
        public Void visitCall(Expr.Call c, List<Expr> out) {
            out.addAll(c.args());
            if (c.where() != null) {
                out.add(c.where());
            }
            return null;
        }

        @Override
        public Void visitUnary(Expr.Unary u, List<Expr> out) {
            out.add(u.operand());
            return null;
        }

        @Override
        public Void visitBinary(Expr.Binary b, List<Expr> out) {
            out.add(b.left());
            out.add(b.right());
            return null;
        }

        @Override
        public Void visitIsNull(Expr.IsNull n, List<Expr> out) {
            out.add(n.operand());
            return null;
        }

        @Override
        public Void visitIn(Expr.In in, List<Expr> out) {
            out.add(in.operand());
            out.addAll(in.options());
            if (in.select() != null) {
                out.add(in.select().value());
                if (in.select().where() != null) {
                    out.add(in.select().where());
                }
            }
            return null;
        }

        @Override
        public Void visitCast(Expr.Cast c, List<Expr> out) {
            out.add(c.operand());
            return null;
        }

        @Override
        public Void visitCase(Expr.Case c, List<Expr> out) {
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
            return null;
        }
    };

    /** Visits {@code e} and every node below it, parents first. */
    public static void walk(Expr e, Consumer<Expr> visitor) {
        visitor.accept(e);
        for (Expr child : children(e)) {
            walk(child, visitor);
        }
    }
}
