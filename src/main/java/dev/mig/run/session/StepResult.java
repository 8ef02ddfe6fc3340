package dev.mig.run.session;

/** What one statement did, for the summary line and the audit row. */
public record StepResult(long read, long written, long rejected, String digest, String message) {
    public static StepResult of(String message) {
        return new StepResult(0, 0, 0, null, message);
    }
}
