package dev.mig.syntax;

import java.util.List;

/** An expression: plain immutable data, evaluated by the data package or translated to SQL. */
public sealed interface Expr permits Expr.Literal, QName, Expr.Call, Expr.Unary, Expr.Binary,
        Expr.IsNull, Expr.In, Expr.Cast, Expr.Case {

    Span span();

    /**
     * One method per kind of expression, with an argument (the evaluator's row, for example): a new kind
     * does not compile until every visitor handles it.
     */
    interface Visitor<R, A> {
        R visitLiteral(Literal e, A arg);

        R visitName(QName e, A arg);

        R visitCall(Call e, A arg);

        R visitUnary(Unary e, A arg);

        R visitBinary(Binary e, A arg);

        R visitIsNull(IsNull e, A arg);

        R visitIn(In e, A arg);

        R visitCast(Cast e, A arg);

        R visitCase(Case e, A arg);
    }

    <R, A> R accept(Visitor<R, A> visitor, A arg);

    /** {@code 'text'}, {@code 42}, {@code 1.5}, {@code true}, {@code false}, {@code null}: value is
     *  a String, Long, BigDecimal, Boolean or null. */
    record Literal(Object value, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitLiteral(this, arg);
        }

    }

    /** {@code fn(args)}, and {@code count(conn.table where cond)}. */
    record Call(String function, List<Expr> args, Expr where, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitCall(this, arg);
        }

        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code -x} or {@code not x}. */
    record Unary(String op, Expr operand, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitUnary(this, arg);
        }

    }

    /** Arithmetic, {@code ||}, comparison, {@code and}, {@code or}; op in lower case. */
    record Binary(String op, Expr left, Expr right, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitBinary(this, arg);
        }

    }

    record IsNull(Expr operand, boolean negated, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitIsNull(this, arg);
        }

    }

    /**
     * {@code x [not] in (a, b, ...)}, or with {@code select} (options empty) {@code x [not] in (select v from
     * conn.table [where cond])}: the values of v over another table's rows.
     */
    record In(Expr operand, List<Expr> options, Select select, boolean negated, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitIn(this, arg);
        }

        public In {
            options = List.copyOf(options);
        }

        public In(Expr operand, List<Expr> options, boolean negated, Span span) {
            this(operand, options, null, negated, span);
        }
    }

    /** {@code select value from conn.table [where cond]} inside {@code in (...)}; value and where read that table's rows. */
    record Select(Expr value, TableRef table, Expr where, Span span) {
    }

    /** {@code expr as type}; type is one of {@link Types#ALL}. */
    record Cast(Expr operand, String type, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitCast(this, arg);
        }

    }

    /** {@code case [subject] when a then b ... [else c] end}. */
    record Case(Expr subject, List<When> whens, Expr otherwise, Span span) implements Expr {
        @Override
        public <R, A> R accept(Visitor<R, A> visitor, A arg) {
            return visitor.visitCase(this, arg);
        }

        public Case {
            whens = List.copyOf(whens);
        }
    }

    record When(Expr condition, Expr result) {
    }
}
