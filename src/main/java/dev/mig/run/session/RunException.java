package dev.mig.run.session;

import dev.mig.MigException;
import dev.mig.syntax.Span;

/** A statement failed; carries where, so the message reads {@code file:line:col: error: ...}. */
public class RunException extends MigException {
    private final String file;
    private final Span span;
    private final String reason;

    public RunException(String file, Span span, String reason) {
        super(file + ":" + span.line() + ":" + span.column() + ": error: " + reason);
        this.file = file;
        this.span = span;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public Span span() {
        return span;
    }

    public String reason() {
        return reason;
    }
}
