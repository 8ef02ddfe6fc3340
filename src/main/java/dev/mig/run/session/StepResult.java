package dev.mig.run.session;

/**
 * What one statement did, for the summary line and the audit row. {@code readOnly}: it only read (a
 * query run by {@code sql}), so a look-only session keeps no trace of it in the database.
 */
public record StepResult(long read, long written, long rejected, String digest, String message, boolean readOnly) {
    public StepResult(long read, long written, long rejected, String digest, String message) {
        this(read, written, rejected, digest, message, false);
    }

    public static StepResult of(String message) {
        return new StepResult(0, 0, 0, null, message);
    }
}
