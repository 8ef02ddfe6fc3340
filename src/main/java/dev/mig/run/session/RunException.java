package dev.mig.run.session;

import dev.mig.MigException;
import dev.mig.syntax.Span;

/** A statement failed; carries where, so the message reads {@code file:line:col: error: ...}. */
public class RunException extends MigException {
    private final String file;
    private final Span span;
    private final String reason;

    public RunException(String file, Span span, String reason) {
        this(file, span, reason, null);
    }

    public RunException(String file, Span span, String reason, Throwable cause) {
        super(file + ":" + span.line() + ":" + span.column() + ": error: " + reason, cause);
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
