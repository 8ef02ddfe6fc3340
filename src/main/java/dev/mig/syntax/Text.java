package dev.mig.syntax;

/**
 * A string literal as written: {@code value} has quotes removed and {@code ''} unescaped, but
 * {@code ${VAR}} references are kept; they are resolved when the statement runs.
 */
public record Text(String value, boolean triple, Span span) {
    /** The literal as it would be written in a script. */
    public String source() {
        return quote(value, triple);
    }

    public static String quote(String value, boolean triple) {
        if (triple || value.indexOf('\n') >= 0 || value.startsWith("'")) {
            if (!value.contains("'''") && !value.endsWith("'")) {
                return "'''" + value + "'''";
            }
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
