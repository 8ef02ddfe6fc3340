package dev.mig.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class HighlighterTest {
    private final Console.MigHighlighter highlighter = new Console.MigHighlighter();

    @Test
    void keywordsStringsNumbersCommentsAndErrorsAreStyledAndTheTextIsKept() {
        String typed = "map a.t -> b.u { 'x' -> y } -- note\n42 #";
        AttributedString shown = highlighter.highlight(null, typed);
        assertEquals(typed, shown.toString(), "highlighting never changes what was typed");
        assertEquals(AttributedStyle.BOLD.foreground(AttributedStyle.BLUE), shown.styleAt(0));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN), shown.styleAt(typed.indexOf("'x'")));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN), shown.styleAt(typed.indexOf("42")));
        assertEquals(AttributedStyle.DEFAULT.faint(), shown.styleAt(typed.indexOf("-- note")));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).underline(), shown.styleAt(typed.indexOf('#')));
        assertEquals(AttributedStyle.DEFAULT, shown.styleAt(typed.indexOf("a.t")));
    }

    @Test
    void halfTypedInputIsHighlightedToo() {
        for (String typed : new String[] {"sql db '''CREATE", "connect x 'unclosed", "\"quoted", "(((((", "\u0000\uD83D"}) {
            AttributedString shown = highlighter.highlight(null, typed);
            assertEquals(typed, shown.toString());
        }
        assertNotEquals(AttributedStyle.DEFAULT, highlighter.highlight(null, "sql db '''CREATE").styleAt(8));
    }
}
