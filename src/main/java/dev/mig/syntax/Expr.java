package dev.mig.syntax;

import java.util.List;

/** An expression: plain immutable data, evaluated by the data package or translated to SQL. */
public sealed interface Expr permits Expr.Literal, QName, Expr.Call, Expr.Unary, Expr.Binary,
        Expr.IsNull, Expr.In, Expr.Cast, Expr.Case {

    Span span();

    /** {@code 'text'}, {@code 42}, {@code 1.5}, {@code true}, {@code false}, {@code null}: value is
     *  a String, Long, BigDecimal, Boolean or null. */
    record Literal(Object value, Span span) implements Expr {
    }

    /** {@code fn(args)}, and {@code count(conn.table where cond)}. */
    record Call(String function, List<Expr> args, Expr where, Span span) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code -x} or {@code not x}. */
    record Unary(String op, Expr operand, Span span) implements Expr {
    }

    /** Arithmetic, {@code ||}, comparison, {@code and}, {@code or}; op in lower case. */
    record Binary(String op, Expr left, Expr right, Span span) implements Expr {
    }

    record IsNull(Expr operand, boolean negated, Span span) implements Expr {
    }

    record In(Expr operand, List<Expr> options, boolean negated, Span span) implements Expr {
        public In {
            options = List.copyOf(options);
        }
    }

    /** {@code expr as type}; type is one of {@link Types#ALL}. */
    record Cast(Expr operand, String type, Span span) implements Expr {
    }

    /** {@code case [subject] when a then b ... [else c] end}. */
    record Case(Expr subject, List<When> whens, Expr otherwise, Span span) implements Expr {
        public Case {
            whens = List.copyOf(whens);
        }
    }

    record When(Expr condition, Expr result) {
    }
}
