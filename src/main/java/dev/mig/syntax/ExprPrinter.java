package dev.mig.syntax;

import java.math.BigDecimal;
import java.util.stream.Collectors;

/**
 * Canonical source text of an expression, through the expression visitor: the fewest parentheses that keep
 * the meaning, judged by {@link #PRECEDENCE}, which mirrors the order of alternatives in the grammar.
 */
final class ExprPrinter implements Expr.Visitor<String, Void> {
    static final ExprPrinter INSTANCE = new ExprPrinter();

    /** Binding strength, higher binds tighter. */
    private static final Expr.Visitor<Integer, Void> PRECEDENCE = new Expr.Visitor<>() {
        @Override
        public Integer visitLiteral(Expr.Literal e, Void arg) {
            Object value = e.value();
            boolean negative = value instanceof Long n && n < 0 || value instanceof BigDecimal d && d.signum() < 0;
            return negative ? 90 : 100;
        }

        @Override
        public Integer visitName(QName e, Void arg) {
            return 100;
        }

        @Override
        public Integer visitCall(Expr.Call e, Void arg) {
            return 100;
        }

        @Override
        public Integer visitUnary(Expr.Unary e, Void arg) {
            return e.op().equals("-") ? 90 : 30;
        }

        @Override
        public Integer visitBinary(Expr.Binary e, Void arg) {
            return switch (e.op()) {
                case "*", "/", "%" -> 70;
                case "+", "-" -> 60;
                case "||" -> 50;
                case "and" -> 20;
                case "or" -> 10;
                default -> 40;
            };
        }

        @Override
        public Integer visitIsNull(Expr.IsNull e, Void arg) {
            return 45;
        }

        @Override
        public Integer visitIn(Expr.In e, Void arg) {
            return 42;
        }

        @Override
        public Integer visitCast(Expr.Cast e, Void arg) {
            return 80;
        }

        @Override
        public Integer visitCase(Expr.Case e, Void arg) {
            return 100;
        }
    };

    private ExprPrinter() {
    }

    static String print(Expr e) {
        return e.accept(INSTANCE, null);
    }

    private static int precedence(Expr e) {
        return e.accept(PRECEDENCE, null);
    }

    private static String operand(Expr operand, int parent, boolean right) {
        int p = precedence(operand);
        boolean parens = right ? p <= parent : p < parent;
        String text = print(operand);
        return parens ? "(" + text + ")" : text;
    }

    @Override
    public String visitLiteral(Expr.Literal e, Void arg) {
        return Printer.literal(e.value());
    }

    @Override
    public String visitName(QName e, Void arg) {
        return e.source();
    }

    @Override
    public String visitCall(Expr.Call e, Void arg) {
        String args = e.args().stream().map(ExprPrinter::print).collect(Collectors.joining(", "));
        return e.function() + "(" + args + (e.where() == null ? "" : " where " + print(e.where())) + ")";
    }

    @Override
    public String visitUnary(Expr.Unary e, Void arg) {
        String operand = operand(e.operand(), precedence(e), false);
        return e.op().equals("-") ? "-" + (operand.startsWith("-") ? "(" + operand + ")" : operand) : "not " + operand;
    }

    @Override
    public String visitBinary(Expr.Binary e, Void arg) {
        int p = precedence(e);
        return operand(e.left(), p, false) + " " + e.op() + " " + operand(e.right(), p, true);
    }

    @Override
    public String visitIsNull(Expr.IsNull e, Void arg) {
        return operand(e.operand(), precedence(e), false) + (e.negated() ? " is not null" : " is null");
    }

    @Override
    public String visitIn(Expr.In e, Void arg) {
        String options = e.select() == null ? e.options().stream().map(ExprPrinter::print).collect(Collectors.joining(", "))
                : "select " + print(e.select().value()) + " from " + e.select().table().source()
                + (e.select().where() == null ? "" : " where " + print(e.select().where()));
        return operand(e.operand(), precedence(e), false) + (e.negated() ? " not in (" : " in (") + options + ")";
    }

    @Override
    public String visitCast(Expr.Cast e, Void arg) {
        return operand(e.operand(), precedence(e), false) + " as " + e.type();
    }

    @Override
    public String visitCase(Expr.Case e, Void arg) {
        StringBuilder out = new StringBuilder("case");
        if (e.subject() != null) {
            out.append(' ').append(print(e.subject()));
        }
        for (Expr.When when : e.whens()) {
            out.append(" when ").append(print(when.condition())).append(" then ").append(print(when.result()));
        }
        if (e.otherwise() != null) {
            out.append(" else ").append(print(e.otherwise()));
        }
        return out.append(" end").toString();
    }
}
