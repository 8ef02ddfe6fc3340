package dev.mig.pushdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.data.Builtin;
import dev.mig.data.LogicalType;
import dev.mig.db.Column;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import dev.mig.run.map.PushdownTest;
import dev.mig.syntax.Expr;
import dev.mig.syntax.QName;
import dev.mig.syntax.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The language's one list of functions ({@link Builtin}) against the SQL back ends: each translator writes
 * a function as SQL or declines it with the reason "the function f()", and every function it writes is in
 * the equivalence corpus ({@link PushdownTest#LINES}) that runs the same map through SQL and through mig.
 * So a function taught to a translator but not proved equal to the evaluator fails here, and so does a
 * function a translator knows that the language does not.
 */
class FunctionsInSqlTest {
    /** Functions the corpus cannot compare, and why. */
    private static final Set<String> NOT_IN_THE_CORPUS = Set.of(
            "now"); // the statement's start: the two maps of the corpus start at different times (TimestampsTest)

    private static final TableInfo SOURCE = new TableInfo("src",
            List.of(new Column("id", "TEXT", LogicalType.TEXT, 1, true), new Column("event", "TEXT", LogicalType.TEXT, 0, false)),
            List.of(List.of("id")));

    @Test
    void everyFunctionIsWrittenAsSqlOnlyWhereTheCorpusProvesItEqual() {
        Set<String> inCorpus = new TreeSet<>();
        Matcher call = Pattern.compile("(\\w+)\\(").matcher(PushdownTest.LINES);
        while (call.find()) {
            inCorpus.add(call.group(1).toLowerCase());
        }
        for (Dialect.Sql sql : Dialect.Sql.values()) {
            Set<String> translated = new TreeSet<>();
            for (Builtin f : Builtin.values()) {
                List<Expr> args = new ArrayList<>();
                for (int i = 0; i < f.minArgs(); i++) {
                    args.add(new QName(List.of("event"), false, Span.NONE));
                }
                try {
                    Translator.of(sql, SOURCE, "2024-07-01T00:00:00Z").expr(new Expr.Call(f.id(), args, null, Span.NONE));
                    translated.add(f.id());
                } catch (NotPushable declined) {
                    assertEquals("the function " + f.id() + "()", declined.getMessage(), sql + " declines " + f.id());
                }
            }
            for (String name : translated) {
                assertTrue(inCorpus.contains(name) || NOT_IN_THE_CORPUS.contains(name),
                        sql + " writes " + name + "() as SQL, which PushdownTest.LINES never compares with mig");
            }
            assertTrue(translated.containsAll(Set.of("coalesce", "upper", "lower", "md5", "utc", "concat")), sql + ": " + translated);
            assertFalse(translated.contains("json"), "json() is mig's parse: " + translated);
        }
        for (String name : inCorpus) {
            assertTrue(Builtin.of(name) != null, "the corpus calls " + name + "(), which the language does not have");
        }
    }

    @Test
    void aNameTheLanguageDoesNotHaveIsDeclined() {
        for (Dialect.Sql sql : Dialect.Sql.values()) {
            NotPushable declined = assertThrows(NotPushable.class, () -> Translator.of(sql, SOURCE, "x")
                    .expr(new Expr.Call("soundex", List.of(new QName(List.of("event"), false, Span.NONE)), null, Span.NONE)));
            assertEquals("the function soundex()", declined.getMessage());
        }
    }
}
