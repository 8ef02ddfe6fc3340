package dev.mig;

/** Root of every error mig reports to a user; subclasses carry position or context. */
public class MigException extends RuntimeException {
    public MigException(String message) {
        super(message);
    }

    public MigException(String message, Throwable cause) {
        super(message, cause);
    }
}
