package dev.mig.data;

import java.time.LocalDate;

/**
 * The fields of a time written {@code YYYY-MM-DD(T| )HH:MM:SS[.f{1,9}][Z|±HH|±HH:MM|±HHMM]}, read without
 * regular expressions or a formatter. The one shape reader of the fast paths: Timestamps' parse and binary
 * COPY's times (db.PgBinaryTime), which each decide what else they accept (the general parser, or
 * PostgreSQL reading the text itself, takes everything else).
 *
 * @param nanos the fraction as nanoseconds; {@code fractionDigits} how many digits wrote it (0 for none)
 * @param offsetHours the offset's hours as written (0-18); {@code offsetSeconds} the offset east of UTC (0 without one)
 */
public record IsoTime(int year, int month, int day, int hour, int minute, int second, int nanos, int fractionDigits,
                      boolean hasOffset, int offsetHours, int offsetSeconds) {

    /** The fields of {@code s}, or null when it has another shape or a field out of its clock range. */
    public static IsoTime read(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day) < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        int fractionDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            fractionDigits = i - start;
            if (fractionDigits == 0 || fractionDigits > 9) {
                return null;
            }
            nanos = digits(s, start, fractionDigits);
            for (int k = fractionDigits; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i == n) {
            return new IsoTime(year, month, day, hour, minute, second, nanos, fractionDigits, false, 0, 0);
        }
        char c = s.charAt(i);
        if (c == 'Z' && i + 1 == n) {
            return new IsoTime(year, month, day, hour, minute, second, nanos, fractionDigits, true, 0, 0);
        }
        if (c != '+' && c != '-') {
            return null;
        }
        int rest = n - i - 1;
        int hours = rest >= 2 ? digits(s, i + 1, 2) : -1;
        int minutes;
        if (rest == 2) {
            minutes = 0;
        } else if (rest == 5 && s.charAt(i + 3) == ':') {
            minutes = digits(s, i + 4, 2);
        } else if (rest == 4) {
            minutes = digits(s, i + 3, 2);
        } else {
            return null;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59 || hours == 18 && minutes > 0) {
            return null; // java.time's offsets end at ±18:00
        }
        int sign = c == '-' ? -1 : 1;
        return new IsoTime(year, month, day, hour, minute, second, nanos, fractionDigits, true, hours,
                sign * (hours * 3600 + minutes * 60));
    }

    /** Seconds since 1970 of the written wall-clock fields, the offset not applied; DateTimeException for a day that does not exist. */
    public long localEpochSecond() {
        return LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
    }

    /** Seconds since 1970 of the instant written (the offset applied; none read as UTC); DateTimeException as above. */
    public long epochSecond() {
        return localEpochSecond() - offsetSeconds;
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
