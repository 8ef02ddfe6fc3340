package dev.mig.run.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Functions;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** A plain source computes what the evaluator computes, value for value, error for error. */
class PlainSourceTest {
    private final Evaluator evaluator = new Evaluator(Instant.parse("2026-12-05T00:00:00Z"));

    private static Expr source(String expression) {
        ParseResult parsed = Syntax.parse("t", "map a.t -> b.u {\n  " + expression + " -> x\n}");
        assertTrue(parsed.ok(), parsed.errors().toString());
        return ((Stmt.MapTable) parsed.script().statements().get(0)).lines().get(0).source();
    }

    @Test
    void theShapesItTakesAndTheOnesItLeaves() {
        for (String plain : List.of("a", "coalesce(a, b)", "null", "upper(a)", "UPPER(coalesce(a, b))", "utc(a)", "Utc(coalesce(b, a))")) {
            assertNotNull(PlainSource.of(source(plain)), plain);
        }
        for (String other : List.of("lower(a)", "upper(a) || 'x'", "'text'", "1", "utc(a, b)", "upper(upper(a))", "a.b", "coalesce(a, 'x')",
                "upper('x')")) {
            assertNull(PlainSource.of(source(other)), other);
        }
    }

    /** The shapes sameValuesAsTheEvaluator compares, value for value. */
    private static final List<String> COMPARED = List.of("a", "coalesce(a, b)", "coalesce(b, a)", "null", "upper(a)",
            "upper(coalesce(b, a))", "utc(a)", "utc(coalesce(b, a))");

    @Test
    void takesAFunctionOfTheLanguageOnlyWhereItIsComparedWithTheEvaluator() {
        for (Functions.Info f : Functions.ALL.values()) {
            String call = f.name() + "(" + String.join(", ", Collections.nCopies(Math.max(1, f.minArgs()), "a")) + ")";
            if (PlainSource.of(source(call)) != null) {
                assertTrue(COMPARED.stream().anyMatch(shape -> shape.startsWith(f.name() + "(")),
                        "PlainSource computes " + call + " itself, but sameValuesAsTheEvaluator never compares it");
            }
        }
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
            PlainSource plain = PlainSource.of(expr);
            for (Object a : values) {
                for (Object b : Arrays.asList(null, "first", 5L)) {
                    Map<String, Object> fields = new HashMap<>();
                    fields.put("a", a);
                    fields.put("b", b);
                    Row row = Row.of(fields);
                    String expected = outcome(() -> evaluator.eval(expr, row));
                    String actual = outcome(() -> plain.eval(row, evaluator));
                    assertEquals(expected, actual, shape + " on a = " + a + ", b = " + b);
                    compared++;
                }
            }
        }
        assertEquals(8 * values.size() * 3, compared);
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
