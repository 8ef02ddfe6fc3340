package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private final Evaluator evaluator = new Evaluator(Instant.parse("2026-11-27T00:00:00Z"));

    private Object eval(String expression, Map<String, Object> row) {
        ParseResult parsed = Syntax.parse("t", "map a.t -> b.u {\n  " + expression + " -> x\n}");
        assertTrue(parsed.ok(), parsed.errors().toString());
        Stmt.MapTable map = (Stmt.MapTable) parsed.script().statements().get(0);
        return evaluator.eval(map.lines().get(0).source(), Row.of(row));
    }

    private Object eval(String expression) {
        Map<String, Object> row = new HashMap<>();
        row.put("event", "add");
        row.put("n", 7L);
        row.put("none", null);
        row.put("payload", "{\"data\": \"likes tea \uD83C\uDF75\", \"meta\": {\"k\": 1}, \"created_at\": 1719855000}");
        return eval(expression, row);
    }

    @Test
    void arithmeticAndText() {
        assertEquals(15L, eval("n * 2 + 1"));
        assertEquals(new BigDecimal("3.5"), eval("n / 2"));
        assertEquals(1L, eval("n % 2"));
        assertEquals("ADD!", eval("upper(event) || '!'"));
        assertNull(eval("event || none"));
        assertEquals("add", eval("concat(event, none)"));
        assertEquals(-7L, eval("-n"));
        assertThrows(EvalException.class, () -> eval("n / 0"));
    }

    @Test
    void threeValuedLogic() {
        assertNull(eval("none = 1"));
        assertEquals(false, eval("none = 1 and false"));
        assertEquals(true, eval("none = 1 or true"));
        assertNull(eval("none = 1 or false"));
        assertEquals(true, eval("none is null and event is not null"));
        assertEquals(true, eval("event in ('add', 'update')"));
        assertNull(eval("event not in ('x', none)"));
        assertEquals(true, eval("not (n < 3)"));
        assertEquals(true, eval("'10' > 9"));
    }

    @Test
    void jsonPathsAndFunctions() {
        assertEquals("likes tea \uD83C\uDF75", eval("payload.data"));
        assertEquals(1L, eval("payload.meta.k"));
        assertNull(eval("payload.missing.deeper"));
        assertEquals(DigestUtils.md5Hex("likes tea \uD83C\uDF75".getBytes(StandardCharsets.UTF_8)),
                eval("md5(payload.data)"));
        assertEquals("2024-07-01T17:30:00+00:00", eval("utc(payload.created_at)"));
        assertEquals(11L, eval("length(payload.data)"));
        assertEquals("ADD", eval("case when event = 'add' then 'ADD' else upper(event) end"));
        assertEquals(1L, eval("case event when 'add' then 1 when 'update' then 2 end"));
        assertEquals("2026-11-27T00:00:00+00:00", eval("now()"));
        assertEquals(eval("uuid('x')"), eval("uuid('x')"));
        assertEquals("fallback", eval("coalesce(none, payload.missing, 'fallback')"));
        assertEquals("a-c", eval("replace('abc', 'b', '-')"));
    }

    @Test
    void castsAndRejects() {
        assertEquals(42L, eval("'42' as int"));
        assertEquals(true, eval("1 as bool"));
        assertEquals("7", eval("n as text"));
        assertEquals("2024-07-01T17:30:00+00:00", eval("1719855000 as timestamp"));
        assertEquals("cannot convert 'abc' to int", assertThrows(EvalException.class, () -> eval("'abc' as int")).getMessage());
        assertEquals("cannot convert 'x' to uuid", assertThrows(EvalException.class, () -> eval("'x' as uuid")).getMessage());
        Map<String, Object> bad = new HashMap<>();
        bad.put("payload", "{not json");
        EvalException e = assertThrows(EvalException.class, () -> eval("payload.data", bad));
        assertTrue(e.getMessage().startsWith("column payload: bad JSON"), e.getMessage());
    }
}
