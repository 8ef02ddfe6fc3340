package dev.mig.mem0.emulation;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The timestamp spellings of mem0's Python code (MEM0.md section 1), from an instant. */
public final class PyTime {
    private static final ZoneId PACIFIC = ZoneId.of("US/Pacific");
    private static final DateTimeFormatter SECONDS_SPACE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final DateTimeFormatter SECONDS_T = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private PyTime() {
    }

    /** {@code str(datetime.utcnow())}: {@code 2024-07-13 21:08:45.123456}, no fraction when the microsecond is 0. */
    public static String naive(Instant at) {
        LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        return t.format(SECONDS_SPACE) + micros(t.getNano());
    }

    /** {@code datetime.now(pytz.timezone('US/Pacific')).isoformat()}: {@code 2024-08-01T10:00:00.123456-07:00}. */
    public static String pacific(Instant at) {
        var t = at.atZone(PACIFIC).toOffsetDateTime();
        return t.format(SECONDS_T) + micros(t.getNano()) + t.getOffset().getId();
    }

    /** {@code datetime.now(timezone.utc).isoformat()}: {@code 2026-03-20T10:00:00.123456+00:00}. */
    public static String utc(Instant at) {
        LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        return t.format(SECONDS_T) + micros(t.getNano()) + "+00:00";
    }

    /** {@code int(datetime.now().timestamp())}: the epoch seconds of 0.0.x payloads. */
    public static long epoch(Instant at) {
        return at.getEpochSecond();
    }

    /** JavaScript's {@code new Date().toISOString()}: {@code 2025-03-01T10:00:00.123Z}. */
    public static String js(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(at.toEpochMilli())).replaceFirst("(:\\d\\d)Z$", "$1.000Z");
    }

    /** {@code datetime.fromisoformat(text).astimezone(timezone.utc).isoformat()} for text with an offset. */
    static String toUtc(String isoWithOffset) {
        return utc(OffsetDateTime.parse(isoWithOffset).toInstant());
    }

    static boolean hasOffset(String text) {
        return text.length() > 19 && (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$"));
    }

    private static String micros(int nanos) {
        int micros = nanos / 1000;
        return micros == 0 ? "" : "." + String.format("%06d", micros);
    }
}
