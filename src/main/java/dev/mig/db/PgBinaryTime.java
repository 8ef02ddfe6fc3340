package dev.mig.db;

import dev.mig.data.IsoTime;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A timestamp as binary COPY carries it: microseconds since 2000-01-01 00:00 (UTC for timestamptz, the
 * wall-clock fields for timestamp). Only spellings whose meaning does not depend on the session are taken
 * (an explicit offset for timestamptz), at most microsecond precision, years 1-9999; anything else throws
 * IllegalArgumentException and the batch goes as text, where PostgreSQL reads (or refuses) it itself.
 */
public final class PgBinaryTime {
    private static final long PG_EPOCH_SECOND = 946_684_800L; // 2000-01-01T00:00:00Z

    private PgBinaryTime() {
    }

    public static long micros(Object value, boolean withZone) {
        if (value instanceof String s) {
            return parse(s, withZone);
        }
        if (value instanceof Instant i) {
            return of(i.getEpochSecond(), i.getNano());
        }
        if (value instanceof OffsetDateTime o) {
            long seconds = withZone ? o.toEpochSecond() : o.toLocalDateTime().toEpochSecond(ZoneOffset.UTC);
            return of(seconds, o.getNano());
        }
        throw new IllegalArgumentException("no binary form for this time");
    }

    /** Whether {@link #of} takes this instant: whole microseconds, years 1-9999. */
    public static boolean exact(long epochSecond, int nanos) {
        return refusal(epochSecond, nanos) == null;
    }

    public static long of(long epochSecond, int nanos) {
        String why = refusal(epochSecond, nanos);
        if (why != null) {
            throw new IllegalArgumentException(why); // PostgreSQL rounds (or refuses) it: let it
        }
        return (epochSecond - PG_EPOCH_SECOND) * 1_000_000L + nanos / 1000;
    }

    /** Why binary COPY cannot carry this instant exactly, or null. */
    private static String refusal(long epochSecond, int nanos) {
        if (nanos % 1000 != 0) {
            return "finer than a microsecond";
        }
        if (epochSecond < -62_135_596_800L || epochSecond >= 253_402_300_800L) {
            return "outside years 1-9999";
        }
        return null;
    }

    /** YYYY-MM-DD(T| )HH:MM:SS[.f{1,6}][Z|±HH|±HH:MM|±HHMM] (IsoTime's shape, at most six fraction digits, offsets to ±15:59). */
    private static long parse(String s, boolean withZone) {
        IsoTime t = IsoTime.read(s);
        if (t == null) {
            throw new IllegalArgumentException("not a plain ISO time");
        }
        if (t.fractionDigits() > 6) {
            throw new IllegalArgumentException("fraction of " + t.fractionDigits() + " digits");
        }
        if (withZone && !t.hasOffset()) {
            throw new IllegalArgumentException("no offset: the session's time zone would decide");
        }
        if (t.offsetHours() > 15) {
            throw new IllegalArgumentException("an offset out of range");
        }
        long epochSecond;
        try {
            // a timestamp without time zone ignores a written offset, as PostgreSQL does
            epochSecond = withZone ? t.epochSecond() : t.localEpochSecond();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a date");
        }
        return of(epochSecond, t.nanos());
    }
}
