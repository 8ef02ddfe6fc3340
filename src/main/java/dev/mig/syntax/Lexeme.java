package dev.mig.syntax;

/** A token of source text as tools outside the parser see it (formatter, REPL highlighter). */
public record Lexeme(Kind kind, String text, Span span) {
    public enum Kind {
        KEYWORD, NAME, STRING, NUMBER, OPERATOR, COMMENT, NEWLINE, SPACE,
        /** A string or quoted name that is not closed yet. */
        UNTERMINATED,
        /** A character that is no part of the language. */
        ERROR
    }
}
