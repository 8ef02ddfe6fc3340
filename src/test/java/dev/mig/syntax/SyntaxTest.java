package dev.mig.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SyntaxTest {
    /** Input that merely stops early: the REPL asks for another line. */
    @ParameterizedTest
    @ValueSource(strings = {
        "map a.t -> b.u {",
        "map a.t -> b.u {\n  x -> y\n",
        "map a.t -> b.u key id {\n  upper(x) ->",
        "sql a '''CREATE TABLE t (\n  id int",
        "assert count(a.t) =",
        "assert (1 + 2",
        "assert case when x then 1",
        "checksum a.t ->",
        "map a.t -> b.u { x -> y } where",
        "assert 1 = 1 and\n  2 = 2 and",
    })
    void incompleteInput(String typed) {
        String text = typed + "\n"; // the REPL parses what was typed, Enter included
        ParseResult r = Syntax.parse("repl", text);
        assertFalse(r.ok());
        assertTrue(r.incomplete(), () -> text + " -> " + r.errors());
    }

    /** Input that is wrong whatever follows: the REPL shows the error at once. */
    @ParameterizedTest
    @ValueSource(strings = {
        "connect x",
        "connect x 'abc",
        "map a.t -> b.u }",
        "assert count(a.t) = = 1",
        "chekcsum a.t",
        "map a.t -> b.u {\n  x -> y\n} where )",
        "inventory a.b.c.d",
    })
    void wrongInput(String typed) {
        String text = typed + "\n";
        ParseResult r = Syntax.parse("repl", text);
        assertFalse(r.ok());
        assertFalse(r.incomplete(), () -> text + " -> " + r.errors());
    }

    @Test
    void keywordsAreCaseInsensitiveAndNamesKeepTheirCase() {
        ParseResult r = Syntax.parse("t", "CONNECT Legacy 'jdbc:sqlite:x.db' READONLY\nInVeNtOrY Legacy.History");
        assertTrue(r.ok(), r.errors().toString());
        Stmt.Connect c = (Stmt.Connect) r.script().statements().get(0);
        assertEquals("Legacy", c.name());
        assertTrue(c.readonly());
        assertEquals("History", ((Stmt.Inventory) r.script().statements().get(1)).table());
    }

    @Test
    void softKeywordsAreColumnNames() {
        ParseResult r = Syntax.parse("t", "map a.t -> b.u {\n  timestamp -> key\n  to -> from\n  where -> default\n}");
        assertTrue(r.ok(), r.errors().toString());
        Stmt.MapTable map = (Stmt.MapTable) r.script().statements().get(0);
        assertEquals(List.of("timestamp", "to", "where"),
                map.lines().stream().map(l -> ((QName) l.source()).first()).toList());
    }

    @Test
    void spansCountUtf16UnitsAfterEmoji() {
        String text = "sql a '\uD83D\uDE00\uD83D\uDE00'\nassert 1 = = 2";
        ParseResult r = Syntax.parse("t", text);
        Diagnostic d = r.errors().get(0);
        assertEquals(2, d.span().line());
        assertEquals(12, d.span().column());
        assertEquals("=", text.substring(d.span().start(), d.span().end()));
    }

    @Test
    void stringsUnescapeQuotesAndKeepVariables() {
        ParseResult r = Syntax.parse("t", "sql a 'it''s ${USER:-me}'\nsql a '''x 'y' z'''");
        Stmt.Sql one = (Stmt.Sql) r.script().statements().get(0);
        Stmt.Sql two = (Stmt.Sql) r.script().statements().get(1);
        assertEquals("it's ${USER:-me}", one.sql().value());
        assertEquals("x 'y' z", two.sql().value());
        assertTrue(two.sql().triple());
    }

    @Test
    void lexemesClassifyEveryCharacterForHighlighting() {
        String text = "map a.t -> b.u { 'x' -> y } -- note\n#";
        List<Lexeme> lexemes = Syntax.lex(text);
        assertEquals(text, String.join("", lexemes.stream().map(Lexeme::text).toList()));
        assertEquals(Lexeme.Kind.KEYWORD, lexemes.get(0).kind());
        assertTrue(lexemes.stream().anyMatch(l -> l.kind() == Lexeme.Kind.COMMENT && l.text().equals("-- note")));
        assertEquals(Lexeme.Kind.ERROR, lexemes.get(lexemes.size() - 1).kind());
    }
}
