package dev.mig.syntax.internal;

import dev.mig.syntax.Span;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;

/** Token facts in user terms. */
public final class Tokens {
    private static final Vocabulary VOCABULARY = MigLexer.VOCABULARY;

    private Tokens() {
    }

    public static Span span(Token token) {
        int start = Math.max(0, token.getStartIndex());
        int end = token.getType() == Token.EOF ? start : token.getStopIndex() + 1;
        return new Span(token.getLine(), token.getCharPositionInLine() + 1, start, Math.max(start, end));
    }

    public static Span span(Token first, Token last) {
        Span a = span(first);
        Span b = span(last == null ? first : last);
        return new Span(a.line(), a.column(), a.start(), Math.max(a.end(), b.end()));
    }

    /** The fixed text of a keyword or punctuation token type, e.g. {@code ->} or {@code map}. */
    public static String literal(int type) {
        String literal = VOCABULARY.getLiteralName(type);
        if (type == MigLexer.NEQ) {
            return "!=";
        }
        if (literal == null) {
            return VOCABULARY.getSymbolicName(type).toLowerCase();
        }
        return literal.substring(1, literal.length() - 1);
    }

    public static boolean isKeyword(int type) {
        return type >= MigLexer.MIGRATION && type <= MigLexer.END;
    }

    public static boolean isPunctuation(int type) {
        return type >= MigLexer.ARROW && type <= MigLexer.GT;
    }

    public static String describe(Token token) {
        int type = token.getType();
        String text = token.getText();
        if (type == Token.EOF) {
            return "end of input";
        }
        if (type == MigLexer.NEWLINE) {
            return "end of line";
        }
        if (type == MigLexer.SEMI) {
            return "';'";
        }
        if (isKeyword(type)) {
            return "'" + text + "'";
        }
        if (type == MigLexer.STRING || type == MigLexer.TRIPLE_STRING) {
            return "the string " + abbreviate(text);
        }
        if (type == MigLexer.INT || type == MigLexer.DECIMAL || type == MigLexer.VERSION) {
            return "the number " + text;
        }
        if (type == MigLexer.IDENT || type == MigLexer.QUOTED_IDENT) {
            return "the name " + abbreviate(text);
        }
        return "'" + abbreviate(text) + "'";
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() <= 30 ? oneLine : oneLine.substring(0, 27) + "...";
    }
}
