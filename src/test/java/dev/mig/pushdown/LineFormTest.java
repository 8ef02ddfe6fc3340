package dev.mig.pushdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Builtin;
import dev.mig.data.InvalidText;
import dev.mig.data.Row;
import dev.mig.syntax.Expr;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** A plain form's value is what the evaluator computes, value for value, error for error. */
class LineFormTest {
    private final Evaluator evaluator = new Evaluator(Instant.parse("2026-12-05T00:00:00Z"));

    private static Expr source(String expression) {
        ParseResult parsed = Syntax.parse("t", "map a.t -> b.u {\n  " + expression + " -> x\n}");
        assertTrue(parsed.ok(), parsed.errors().toString());
        return ((Stmt.MapTable) parsed.script().statements().get(0)).lines().get(0).source();
    }

    private static LineForm plain(String expression) {
        LineForm form = LineForm.of(line(expression));
        return form.plain() ? form : null;
    }

    private static Stmt.MapLine line(String expression) {
        ParseResult parsed = Syntax.parse("t", "map a.t -> b.u {\n  " + expression + " -> x\n}");
        assertTrue(parsed.ok(), parsed.errors().toString());
        return ((Stmt.MapTable) parsed.script().statements().get(0)).lines().get(0);
    }

    @Test
    void theShapesItTakesAndTheOnesItLeaves() {
        for (String plain : List.of("a", "coalesce(a, b)", "null", "upper(a)", "UPPER(coalesce(a, b))", "utc(a)", "Utc(coalesce(b, a))",
                "lower(a)", "md5(a)", "json(coalesce(a, b))")) {
            assertNotNull(plain(plain), plain);
        }
        for (String other : List.of("upper(a) || 'x'", "'text'", "1", "utc(a, b)", "upper(upper(a))", "a.b", "coalesce(a, 'x')",
                "upper('x')", "count(a.t)", "uuid()", "now()")) {
            assertNull(plain(other), other);
        }
    }

    /**
     * The shapes sameValuesAsTheEvaluator compares, value for value: columns, null, and every function of the
     * language that reads one argument, of a column and of a coalesce - so a function added to the language is
     * compared here the day it is added.
     */
    private static final List<String> COMPARED = compared();

    private static List<String> compared() {
        List<String> out = new ArrayList<>(List.of("a", "coalesce(a, b)", "coalesce(b, a)", "null"));
        for (Builtin f : Builtin.values()) {
            if (f.reads() == Builtin.Reads.ROW && f.accepts(1)) {
                out.add(f.id() + "(a)");
                out.add(f.id() + "(coalesce(b, a))");
            }
        }
        return out;
    }

    @Test
    void everyOneArgumentFunctionIsAPlainSourceAndCompared() {
        for (String shape : COMPARED) {
            assertNotNull(plain(shape), shape);
        }
        assertTrue(COMPARED.size() > 30, COMPARED.toString());
    }

    @Test
    void sameValuesAsTheEvaluator() throws Exception {
        List<Object> values = new ArrayList<>(Arrays.asList(null, "", "add", "straße", "ǆemal", "ıi İ", "tea 🍵", "a\u0000b",
                "2024-07-01T12:00:00", "2024-07-01 12:00:00.123456", "2024-07-01T12:00:00.1234567+05:30", "2024-07-01T12:00:00Z",
                "2024-02-30T00:00:00", "24:00", "garbage", "0001-01-01T00:00:00", "9999-12-31T23:59:59.999999",
                7L, -3L, 1.5, new BigDecimal("2.50"), true, new byte[] {1, 2, (byte) 0xFF}, 1719855000L,
                InvalidText.ofInvalid(new byte[] {0x61, (byte) 0xFF, 0x62}), new ObjectMapper().readTree("{\"k\": 1}"), new ObjectMapper().readTree("\"2024-07-01T12:00:00\"")));
        int compared = 0;
        for (String shape : COMPARED) {
            Expr expr = source(shape);
            LineForm plain = plain(shape);
            for (Object a : values) {
                for (Object b : Arrays.asList(null, "first", 5L)) {
                    Map<String, Object> fields = new HashMap<>();
                    fields.put("a", a);
                    fields.put("b", b);
                    Row row = Row.of(fields);
                    String expected = outcome(() -> evaluator.eval(expr, row));
                    String actual = outcome(() -> plain.value(row, evaluator));
                    assertEquals(expected, actual, shape + " on a = " + a + ", b = " + b);
                    compared++;
                }
            }
        }
        assertEquals(COMPARED.size() * values.size() * 3, compared);
    }

    private interface Eval {
        Object run();
    }

    /** The value with its class (or the error), so that equal text of other types still differs. */
    private static String outcome(Eval e) {
        try {
            Object v = e.run();
            return v == null ? "null" : v.getClass().getName() + ":" + (v instanceof byte[] bytes ? Arrays.toString(bytes) : Objects.toString(v));
        } catch (EvalException x) {
            return "error: " + x.getMessage();
        }
    }
}
