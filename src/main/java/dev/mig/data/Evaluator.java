package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.syntax.Expr;
import dev.mig.syntax.QName;
import dev.mig.syntax.Span;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates expressions against a row with SQL semantics: null propagates through operators,
 * {@code and}/{@code or} use three-valued logic, a condition holds only when it is true.
 * A failure for one row (bad JSON, bad cast) throws EvalException, which rejects that row.
 */
public final class Evaluator {
    /**
     * Functions that need more than the row (count over a table, aggregates over a group, first_seen_days from
     * mig's registry); the run package supplies them, with the row evaluated.
     */
    public interface TableFunctions {
        Object call(Expr.Call call, Row row);
    }

    /** The values of {@code in (select v from conn.table where ...)}, as {@link #setKey} forms; the run package reads them. */
    public interface Selects {
        Set<String> values(Expr.Select select);
    }

    /** Resolves ${VAR} in string literals; may throw to fail the statement (not the row). */
    public interface Strings {
        String resolve(String value, Span span);
    }

    private final Instant now;
    private final TableFunctions tables;
    private final Strings strings;
    private final Selects selects;
    private final Map<Expr.Literal, Object> resolved = new IdentityHashMap<>();
    private final Map<Expr.Select, Set<String>> selected = new IdentityHashMap<>();

    public Evaluator(Instant now, TableFunctions tables, Strings strings, Selects selects) {
        this.now = now;
        this.tables = tables;
        this.strings = strings;
        this.selects = selects;
    }

    public Evaluator(Instant now, TableFunctions tables, Strings strings) {
        this(now, tables, strings, select -> {
            throw new EvalException("in (select ...) needs a run: it reads " + select.table());
        });
    }

    /** The form in which {@code in (select ...)} compares values: text, so a uuid equals its text. */
    public static String setKey(Object value) {
        return Values.text(value);
    }

    /** The same evaluator with other table functions (the statement's own, e.g. aggregates over a group). */
    public Evaluator with(TableFunctions other) {
        return new Evaluator(now, other, strings, selects);
    }

    public Evaluator(Instant now, TableFunctions tables) {
        this(now, tables, (value, span) -> value);
    }

    public Evaluator(Instant now) {
        this(now, (call, row) -> {
            throw new EvalException(call.function() + "(...) is allowed in assert only");
        });
    }

    /** True only when the condition is true (false and null are not). */
    public boolean test(Expr condition, Row row) {
        return Boolean.TRUE.equals(truth(eval(condition, row)));
    }

    public Object eval(Expr e, Row row) {
        return e.accept(dispatch, row);
    }

    /** A function that reads only its arguments, of their values, as {@link #eval} computes a call of it. */
    public Object apply(Builtin fn, List<Object> args) {
        return Builtins.apply(fn, args, now);
    }

    /** Each kind of expression on a row. */
    private final Expr.Visitor<Object, Row> dispatch = new Expr.Visitor<>() {
        @Override
        public Object visitLiteral(Expr.Literal l, Row row) {
            if (l.value() instanceof String s && s.contains("${")) {
                return resolved.computeIfAbsent(l, x -> strings.resolve(s, l.span()));
            }
            return l.value();
        }

        @Override
        public Object visitName(QName q, Row row) {
            return name(q, row);
        }

        @Override
        public Object visitCall(Expr.Call c, Row row) {
            return Builtins.call(Evaluator.this, c, row, now, tables);
        }

        @Override
        public Object visitUnary(Expr.Unary u, Row row) {
            Object v = eval(u.operand(), row);
            if (u.op().equals("not")) {
                Boolean b = truth(v);
                return b == null ? null : !b;
            }
            return v == null ? null : Arithmetic.negate(v);
        }

        @Override
        public Object visitBinary(Expr.Binary b, Row row) {
            return binary(b, row);
        }

        @Override
        public Object visitIsNull(Expr.IsNull n, Row row) {
            Object v = eval(n.operand(), row);
            return n.negated() == (v != null);
        }

        @Override
        public Object visitIn(Expr.In in, Row row) {
            return in(in, row);
        }

        @Override
        public Object visitCast(Expr.Cast c, Row row) {
            return Casts.to(c.type(), eval(c.operand(), row));
        }

        @Override
        public Object visitCase(Expr.Case c, Row row) {
            return caseExpr(c, row);
        }
    };

    private Object name(QName q, Row row) {
        if (q.star()) {
            throw new EvalException("'" + q.source() + "' is only valid as a whole map line: col.* -> col.*");
        }
        List<String> parts = q.parts();
        if (parts.size() == 1) {
            return row.get(parts.get(0));
        }
        JsonNode node = row.json(parts.get(0));
        for (int i = 1; i < parts.size() && node != null; i++) {
            node = node.isObject() ? node.get(parts.get(i)) : null;
        }
        return Values.fromJson(node);
    }

    private Object binary(Expr.Binary b, Row row) {
        String op = b.op();
        if (op.equals("and") || op.equals("or")) {
            Boolean left = truth(eval(b.left(), row));
            boolean and = op.equals("and");
            if (left != null && left != and) {
                return left; // false and ..., true or ...
            }
            Boolean right = truth(eval(b.right(), row));
            if (left == null) {
                return right != null && right != and ? right : null;
            }
            return right;
        }
        Object left = eval(b.left(), row);
        Object right = eval(b.right(), row);
        if (left == null || right == null) {
            return null;
        }
        return switch (op) {
            case "||" -> Values.text(left) + Values.text(right);
            case "+", "-", "*", "/", "%" -> Arithmetic.apply(op, left, right);
            default -> compare(op, Compare.compare(left, right));
        };
    }

    private static Boolean compare(String op, int c) {
        return switch (op) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private Object in(Expr.In in, Row row) {
        Object v = eval(in.operand(), row);
        if (v == null) {
            return null;
        }
        if (in.select() != null) {
            Set<String> values = selected.computeIfAbsent(in.select(), selects::values);
            return values.contains(setKey(v)) != in.negated();
        }
        boolean sawNull = false;
        for (Expr option : in.options()) {
            Object o = eval(option, row);
            if (o == null) {
                sawNull = true;
            } else if (Compare.compare(v, o) == 0) {
                return !in.negated();
            }
        }
        return sawNull ? null : in.negated();
    }

    private Object caseExpr(Expr.Case c, Row row) {
        Object subject = c.subject() == null ? null : eval(c.subject(), row);
        for (Expr.When when : c.whens()) {
            boolean hit;
            if (c.subject() != null) {
                Object candidate = eval(when.condition(), row);
                hit = subject != null && candidate != null && Compare.compare(subject, candidate) == 0;
            } else {
                hit = test(when.condition(), row);
            }
            if (hit) {
                return eval(when.result(), row);
            }
        }
        return c.otherwise() == null ? null : eval(c.otherwise(), row);
    }

    /** SQL truth of a value: booleans, numbers (0 false), 'true'/'false' text; null is unknown. */
    static Boolean truth(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return Casts.toBool(v);
    }

    static final class Arithmetic {
        private Arithmetic() {
        }

        static Object negate(Object v) {
            Number n = Casts.toNumber(v);
            return n instanceof Long l ? (Object) (-l) : ((BigDecimal) n).negate();
        }

        static Object apply(String op, Object a, Object b) {
            Number x = Casts.toNumber(a);
            Number y = Casts.toNumber(b);
            if (x instanceof Long l && y instanceof Long r && !op.equals("/")) {
                try {
                    return switch (op) {
                        case "+" -> Math.addExact(l, r);
                        case "-" -> Math.subtractExact(l, r);
                        case "*" -> Math.multiplyExact(l, r);
                        default -> {
                            if (r == 0) {
                                throw new EvalException("division by zero");
                            }
                            yield l % r;
                        }
                    };
                } catch (ArithmeticException overflow) {
                    // fall through to exact decimals
                }
            }
            BigDecimal l = decimal(x);
            BigDecimal r = decimal(y);
            if ((op.equals("/") || op.equals("%")) && r.signum() == 0) {
                throw new EvalException("division by zero");
            }
            BigDecimal result = switch (op) {
                case "+" -> l.add(r);
                case "-" -> l.subtract(r);
                case "*" -> l.multiply(r);
                case "/" -> l.divide(r, MathContext.DECIMAL64);
                default -> l.remainder(r);
            };
            return result.stripTrailingZeros();
        }

        private static BigDecimal decimal(Number n) {
            return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
        }
    }
}
