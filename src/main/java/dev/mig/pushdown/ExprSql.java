package dev.mig.pushdown;

import dev.mig.db.Column;
import dev.mig.pushdown.SqlExpr.Kind;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Printer;
import dev.mig.syntax.QName;
import java.util.Locale;

/**
 * The translator's dispatch over expressions, through the expression visitor: {@link #VALUE} for a map
 * line's value, {@link #CONDITION} for a where condition. A kind that SQL cannot compute exactly is
 * declined with its reason; a new kind of expression does not compile until both say what they do with it.
 */
final class ExprSql {
    private ExprSql() {
    }

    /** Carries a {@link NotPushable} through the visitor, which cannot throw checked exceptions. */
    static final class Declined extends RuntimeException {
        final NotPushable reason;

        Declined(NotPushable reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    interface Part {
        SqlExpr sql() throws NotPushable;
    }

    static SqlExpr exact(Part part) {
        try {
            return part.sql();
        } catch (NotPushable e) {
            throw new Declined(e);
        }
    }

    static SqlExpr decline(String what, Expr e) {
        throw new Declined(new NotPushable(what + " " + Printer.expr(e)));
    }

    /** What a value computes: literals, columns and JSON paths, the translated functions, ||, casts. */
    static final Expr.Visitor<SqlExpr, Translator> VALUE = new Expr.Visitor<>() {
        @Override
        public SqlExpr visitLiteral(Expr.Literal e, Translator t) {
            Object v = e.value();
            if (v == null) {
                return new SqlExpr("NULL", Kind.NULL, null);
            }
            if (v instanceof String s) {
                if (s.contains("${")) {
                    throw new Declined(new NotPushable("a ${...} variable in a literal"));
                }
                return new SqlExpr(t.literal(s), Kind.TEXT, null);
            }
            if (v instanceof Long n) {
                return new SqlExpr("CAST(" + n + " AS BIGINT)", Kind.INTEGER, null);
            }
            throw new Declined(new NotPushable("the literal " + v));
        }

        @Override
        public SqlExpr visitName(QName q, Translator t) {
            if (q.star()) {
                throw new Declined(new NotPushable(q.source()));
            }
            Column c = t.source.column(q.first());
            if (c == null) {
                throw new Declined(new NotPushable("no column " + q.first()));
            }
            if (q.size() == 1) {
                return t.column(c);
            }
            for (String part : q.parts().subList(1, q.size())) {
                if (part.matches("-?[0-9]+")) {
                    throw new Declined(new NotPushable("the JSON path " + q.source() + " could index an array in SQL"));
                }
            }
            return exact(() -> t.path(c, q.parts().subList(1, q.size())));
        }

        @Override
        public SqlExpr visitCall(Expr.Call e, Translator t) {
            return exact(() -> t.call(e));
        }

        @Override
        public SqlExpr visitUnary(Expr.Unary e, Translator t) {
            return decline("the expression", e);
        }

        @Override
        public SqlExpr visitBinary(Expr.Binary e, Translator t) {
            if (!e.op().equals("||")) {
                return decline("the expression", e);
            }
            return exact(() -> {
                SqlExpr left = t.text(t.expr(e.left()));
                SqlExpr right = t.text(t.expr(e.right()));
                return new SqlExpr("(" + left.sql() + " || " + right.sql() + ")", Kind.TEXT,
                        SqlExpr.and(left.guard(), right.guard()));
            });
        }

        @Override
        public SqlExpr visitIsNull(Expr.IsNull e, Translator t) {
            return decline("the expression", e);
        }

        @Override
        public SqlExpr visitIn(Expr.In e, Translator t) {
            return decline("the expression", e);
        }

        @Override
        public SqlExpr visitCast(Expr.Cast e, Translator t) {
            return exact(() -> t.cast(t.expr(e.operand()), e.type()));
        }

        @Override
        public SqlExpr visitCase(Expr.Case e, Translator t) {
            return decline("the expression", e);
        }
    };

    /**
     * A where condition with the evaluator's three-valued logic; only forms that cannot fail for a row (null
     * tests, and/or/not, text equality) are translated. The guard covers how the operands read (e.g. a SQLite
     * column that must hold JSON text).
     */
    static final Expr.Visitor<SqlExpr, Translator> CONDITION = new Expr.Visitor<>() {
        @Override
        public SqlExpr visitIsNull(Expr.IsNull n, Translator t) {
            SqlExpr v = exact(() -> t.expr(n.operand()));
            if (v.guard() != null && !(n.operand() instanceof QName)) {
                return decline("the condition", n);
            }
            return new SqlExpr("(" + v.sql() + (n.negated() ? " IS NOT NULL)" : " IS NULL)"), Kind.BOOLEAN, v.guard());
        }

        @Override
        public SqlExpr visitBinary(Expr.Binary b, Translator t) {
            if (b.op().equals("and") || b.op().equals("or")) {
                SqlExpr left = b.left().accept(this, t);
                SqlExpr right = b.right().accept(this, t);
                return new SqlExpr("(" + left.sql() + " " + b.op().toUpperCase(Locale.ROOT) + " " + right.sql() + ")",
                        Kind.BOOLEAN, SqlExpr.and(left.guard(), right.guard()));
            }
            if (b.op().equals("=") || b.op().equals("!=")) {
                SqlExpr left = exact(() -> t.expr(b.left()));
                SqlExpr right = exact(() -> t.expr(b.right()));
                if (left.kind() == Kind.TEXT && right.kind() == Kind.TEXT) {
                    return new SqlExpr("(" + left.sql() + (b.op().equals("=") ? " = " : " <> ") + right.sql() + ")",
                            Kind.BOOLEAN, SqlExpr.and(left.guard(), right.guard()));
                }
            }
            return decline("the condition", b);
        }

        @Override
        public SqlExpr visitUnary(Expr.Unary u, Translator t) {
            if (!u.op().equals("not")) {
                return decline("the condition", u);
            }
            SqlExpr inner = u.operand().accept(this, t);
            return new SqlExpr("(NOT " + inner.sql() + ")", Kind.BOOLEAN, inner.guard());
        }

        @Override
        public SqlExpr visitLiteral(Expr.Literal e, Translator t) {
            return decline("the condition", e);
        }

        @Override
        public SqlExpr visitName(QName e, Translator t) {
            return decline("the condition", e);
        }

        @Override
        public SqlExpr visitCall(Expr.Call e, Translator t) {
            return decline("the condition", e);
        }

        @Override
        public SqlExpr visitIn(Expr.In e, Translator t) {
            return decline("the condition", e);
        }

        @Override
        public SqlExpr visitCast(Expr.Cast e, Translator t) {
            return decline("the condition", e);
        }

        @Override
        public SqlExpr visitCase(Expr.Case e, Translator t) {
            return decline("the condition", e);
        }
    };
}
