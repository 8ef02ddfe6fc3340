package dev.mig.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.syntax.AstEquality;
import dev.mig.syntax.Lexeme;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Syntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * parse -> fmt -> parse gives the same AST, fmt is idempotent and keeps every comment, over every
 * example in docs/ (```mig blocks), every shipped script and every golden file that parses.
 */
class RoundTripTest {
    private static final Pattern MIG_BLOCK = Pattern.compile("```mig\\n(.*?)```", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> everyExample() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files(Path.of("scripts"), ".mig")) {
            tests.add(test(file.toString(), Files.readString(file), true));
        }
        for (Path file : files(Path.of("src/test/resources/golden"), ".mig")) {
            tests.add(test(file.toString(), Files.readString(file), false));
        }
        int blocks = 0;
        for (Path doc : files(Path.of("docs"), ".md")) {
            Matcher m = MIG_BLOCK.matcher(Files.readString(doc));
            for (int i = 1; m.find(); i++) {
                tests.add(test(doc + " example " + i, m.group(1), true));
                blocks++;
            }
        }
        assertTrue(blocks >= 20, "examples found in docs: " + blocks);
        return tests.stream();
    }

    private static DynamicTest test(String name, String source, boolean mustParse) {
        return DynamicTest.dynamicTest(name, () -> {
            ParseResult first = Syntax.parse(name, source);
            if (!first.ok()) {
                assertTrue(!mustParse, name + " does not parse: " + first.errors());
                return;
            }
            String formatted = Formatter.format(name, source);
            ParseResult second = Syntax.parse(name, formatted);
            assertTrue(second.ok(), "formatted text does not parse: " + second.errors() + "\n" + formatted);
            assertNull(AstEquality.difference(first.script(), second.script(), "script"), formatted);
            assertEquals(formatted, Formatter.format(name, formatted), "fmt is not idempotent");
            assertEquals(comments(source), comments(formatted), "comments lost or changed");
        });
    }

    private static List<String> comments(String source) {
        return Syntax.lex(source).stream().filter(l -> l.kind() == Lexeme.Kind.COMMENT)
                .map(l -> l.text().stripTrailing()).toList();
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void alignsArrowsAndLowersKeywords() {
        String source = "MIGRATION 1 'x'\nCONNECT a 'jdbc:sqlite:a.db'\n"
                + "MAP a.t -> a.u KEY id {  -- header note\n  id -> id\n    -- inside\n  UPPER(event)   ->   event  -- why\n}\n\n\n"
                + "Checksum a.t -> a.u ; ASSERT count(a.u)=count(a.t)\n";
        String expected = "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\n"
                + "map a.t -> a.u key id {  -- header note\n  id           -> id\n  -- inside\n"
                + "  upper(event) -> event  -- why\n}\n\nchecksum a.t -> a.u\nassert count(a.u) = count(a.t)\n";
        assertEquals(expected, Formatter.format("t.mig", source));
    }

    @Test
    void keepsAStatementWithACommentInsideAnExpressionAsWritten() {
        String source = "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nassert count(a.t) = -- total\n  0\n";
        assertEquals(source, Formatter.format("t.mig", source));
    }

    @Test
    void printsTheFewestParenthesesThatKeepTheMeaning() {
        String source = "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\n"
                + "assert ((1 + 2) * 3) = (((4))) and not (a.x = 1 or (b - (c - d)) > 0) and (x as int) is null\n";
        String formatted = Formatter.format("t.mig", source);
        assertTrue(formatted.contains("assert (1 + 2) * 3 = 4 and not (a.x = 1 or b - (c - d) > 0) and x as int is null"),
                formatted);
    }
}
