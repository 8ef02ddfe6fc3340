package dev.mig.syntax;

/** Line lookups in source text, for error display. */
public final class SourceLines {
    private SourceLines() {
    }

    /** The text of 1-based line {@code number} without its line break, or null past the end. */
    public static String line(String source, int number) {
        if (number < 1) {
            return null;
        }
        int start = 0;
        for (int i = 1; i < number; i++) {
            int next = source.indexOf('\n', start);
            if (next < 0) {
                return null;
            }
            start = next + 1;
        }
        int end = source.indexOf('\n', start);
        String text = end < 0 ? source.substring(start) : source.substring(start, end);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
