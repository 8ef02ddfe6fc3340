package dev.mig.data;

import dev.mig.MigException;

/** An expression failed for one row (bad JSON, bad cast, ...): the row is rejected, not the run. */
public class EvalException extends MigException {
    public EvalException(String message) {
        super(message);
    }
}
