package dev.mig.syntax;

/**
 * One problem found in a script, reported as {@code file:line:col: error: message [rule]}; {@code rule}
 * is the stable id of its kind (dev.mig.check.Rule), null for problems found while running.
 */
public record Diagnostic(Severity severity, String file, Span span, String message, String rule) {
    public Diagnostic(Severity severity, String file, Span span, String message) {
        this(severity, file, span, message, null);
    }

    public enum Severity {
        ERROR, WARNING;

        public String label() {
            return name().toLowerCase();
        }
    }

    public static Diagnostic error(String file, Span span, String message) {
        return new Diagnostic(Severity.ERROR, file, span, message);
    }

    public static Diagnostic warning(String file, Span span, String message) {
        return new Diagnostic(Severity.WARNING, file, span, message);
    }

    public Diagnostic withRule(String id) {
        return new Diagnostic(severity, file, span, message, id);
    }

    public Diagnostic withMessage(String text) {
        return new Diagnostic(severity, file, span, text, rule);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The one-line form tools and editors parse. */
    public String headline() {
        return file + ":" + span.line() + ":" + span.column() + ": " + severity.label() + ": " + message
                + (rule == null ? "" : " [" + rule + "]");
    }

    /** The headline followed by the source line and a caret under the span, for people. */
    public String withSource(String source) {
        String line = SourceLines.line(source, span.line());
        if (line == null) {
            return headline();
        }
        int col = Math.max(1, span.column());
        int lineEnd = span.start() + (line.length() - (col - 1));
        int width = Math.max(1, Math.min(span.end(), lineEnd) - span.start());
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < col - 1 && i < line.length(); i++) {
            caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        caret.append("^".repeat(width));
        return headline() + "\n    " + line + "\n    " + caret;
    }
}
