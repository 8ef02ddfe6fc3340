package dev.mig.pushdown;

/** Why a map cannot run as set-based SQL (it then streams rows through mig, as always). */
public final class NotPushable extends Exception {
    public NotPushable(String reason) {
        super(reason, null, false, false);
    }
}
