package dev.mig.syntax;

/**
 * Where a piece of source sits: 1-based line and column of its first character, and its
 * character offsets [start, end) in the source text.
 */
public record Span(int line, int column, int start, int end) {
    public static final Span NONE = new Span(0, 0, 0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
