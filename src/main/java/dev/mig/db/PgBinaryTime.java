package dev.mig.db;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A timestamp as binary COPY carries it: microseconds since 2000-01-01 00:00 (UTC for timestamptz, the
 * wall-clock fields for timestamp). Only spellings whose meaning does not depend on the session are taken
 * (an explicit offset for timestamptz), at most microsecond precision, years 1-9999; anything else throws
 * IllegalArgumentException and the batch goes as text, where PostgreSQL reads (or refuses) it itself.
 */
final class PgBinaryTime {
    private static final long PG_EPOCH_SECOND = 946_684_800L; // 2000-01-01T00:00:00Z

    private PgBinaryTime() {
    }

    static long micros(Object value, boolean withZone) {
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

    private static long of(long epochSecond, int nanos) {
        if (nanos % 1000 != 0) {
            throw new IllegalArgumentException("finer than a microsecond"); // PostgreSQL rounds it: let it
        }
        if (epochSecond < -62_135_596_800L || epochSecond >= 253_402_300_800L) {
            throw new IllegalArgumentException("outside years 1-9999");
        }
        return (epochSecond - PG_EPOCH_SECOND) * 1_000_000L + nanos / 1000;
    }

    /** YYYY-MM-DD(T| )HH:MM:SS[.f{1,6}][Z|±HH|±HH:MM|±HHMM]. */
    private static long parse(String s, boolean withZone) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            throw new IllegalArgumentException("not a plain ISO time");
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (hour > 23 || minute > 59 || second > 59) {
            throw new IllegalArgumentException("not a plain ISO time");
        }
        int i = 19;
        int micros = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 6) {
                throw new IllegalArgumentException("fraction of " + count + " digits");
            }
            micros = digits(s, start, count);
            for (int k = count; k < 6; k++) {
                micros *= 10;
            }
        }
        int offsetSeconds;
        if (i == n) {
            if (withZone) {
                throw new IllegalArgumentException("no offset: the session's time zone would decide");
            }
            offsetSeconds = 0;
        } else if (s.charAt(i) == 'Z' && i + 1 == n) {
            offsetSeconds = 0;
        } else if (s.charAt(i) == '+' || s.charAt(i) == '-') {
            int sign = s.charAt(i) == '-' ? -1 : 1;
            int rest = n - i - 1;
            int hours;
            int minutes = 0;
            if (rest == 2) {
                hours = digits(s, i + 1, 2);
            } else if (rest == 5 && s.charAt(i + 3) == ':') {
                hours = digits(s, i + 1, 2);
                minutes = digits(s, i + 4, 2);
            } else if (rest == 4) {
                hours = digits(s, i + 1, 2);
                minutes = digits(s, i + 3, 2);
            } else {
                throw new IllegalArgumentException("an offset of another shape");
            }
            if (hours > 15 || minutes > 59) {
                throw new IllegalArgumentException("an offset out of range");
            }
            offsetSeconds = sign * (hours * 3600 + minutes * 60);
        } else {
            throw new IllegalArgumentException("not a plain ISO time");
        }
        if (!withZone) {
            offsetSeconds = 0; // a timestamp without time zone ignores a written offset, as PostgreSQL does
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a date");
        }
        long epochSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return of(epochSecond, micros * 1000);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                throw new IllegalArgumentException("not a plain ISO time");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
