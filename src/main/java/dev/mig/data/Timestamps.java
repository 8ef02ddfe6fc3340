package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/**
 * Every timestamp form mem0 ever wrote, normalised to ISO-8601 UTC as current mem0 writes it
 * ({@code 2024-07-01T17:30:00+00:00}):
 * epoch seconds (0.0.x payloads), ISO-8601 with an offset (US/Pacific -07:00/-08:00 in 0.0.10 to
 * 1.0.6), naive timestamps taken as UTC (G0 history's datetime.utcnow()), and UTC ISO (2026 on).
 */
public final class Timestamps {
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})$");
    private static final Pattern HOUR_OFFSET = Pattern.compile("([+-]\\d{2})$");
    /** Epoch values above this are milliseconds (year 5138 in seconds). */
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .toFormatter();

    private Timestamps() {
    }

    /** The last text converted on this thread: maps often convert the same value twice in a row. */
    private static final ThreadLocal<String[]> LAST = ThreadLocal.withInitial(() -> new String[2]);

    /** The UTC ISO-8601 text of any supported form; null for null; EvalException when not a time. */
    public static String utc(Object value) {
        if (value instanceof String text) {
            String[] last = LAST.get();
            if (text.equals(last[0])) {
                return last[1];
            }
            Instant instant = instant(value);
            String out = format(instant);
            last[0] = text;
            last[1] = out;
            return out;
        }
        Instant instant = instant(value);
        return instant == null ? null : format(instant);
    }

    /**
     * Current mem0's spelling, Python's {@code datetime.now(timezone.utc).isoformat()}:
     * {@code 2024-07-01T17:30:00.120000+00:00}, six fraction digits or none when zero, so that text
     * order is time order (mem0's get_history sorts created_at as text). Nine digits only for an
     * instant finer than a microsecond (never written by mem0), so no instant changes.
     */
    public static String format(Instant instant) {
        long second = instant.getEpochSecond();
        if (second < MIN_SECOND || second >= MAX_SECOND) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        StringBuilder out = new StringBuilder(32);
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            String digits = Integer.toString(1_000_000_000 + nanos).substring(1);
            out.append('.').append(nanos % 1000 == 0 ? digits.substring(0, 6) : digits);
        }
        return out.append("+00:00").toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    private static final long MIN_SECOND = -62135596800L; // 0001-01-01T00:00:00Z
    private static final long MAX_SECOND = 253402300800L; // 10000-01-01T00:00:00Z

    private static final BigDecimal NANOS_PER_DAY = BigDecimal.valueOf(86_400_000_000_000L);

    /** Days from then to now, exact to the nanosecond, as a decimal (negative for a time after now): age_days(). */
    public static BigDecimal days(Instant then, Instant now) {
        Duration d = Duration.between(then, now); // in nanoseconds a long holds 292 years; a time of year 1 is further
        BigDecimal nanos = BigDecimal.valueOf(d.getSeconds()).multiply(BigDecimal.valueOf(1_000_000_000L)).add(BigDecimal.valueOf(d.getNano()));
        return nanos.divide(NANOS_PER_DAY, MathContext.DECIMAL64).stripTrailingZeros();
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Number n) {
            return epoch(n instanceof BigDecimal b ? b : new BigDecimal(n.toString()));
        }
        if (value instanceof String s) {
            return parse(s);
        }
        if (value instanceof JsonNode node && node.isValueNode()) {
            return node.isNumber() ? epoch(node.decimalValue()) : parse(node.asText());
        }
        throw new EvalException("not a timestamp: " + Values.describe(value));
    }

    private static Instant epoch(BigDecimal seconds) {
        if (seconds.abs().compareTo(BigDecimal.valueOf(MILLIS_THRESHOLD)) > 0) {
            seconds = seconds.movePointLeft(3);
        }
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static Instant parse(String text) {
        Instant quick = fast(text);
        return quick != null ? quick : general(text);
    }

    /** Every supported spelling (the fast path above gives the same instant for its shape). */
    static Instant general(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new EvalException("not a timestamp: empty text");
        }
        if (NUMBER.matcher(s).matches()) {
            return epoch(new BigDecimal(s));
        }
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        if (s.endsWith(" UTC") || s.endsWith(" utc")) {
            s = s.substring(0, s.length() - 4) + "Z";
        }
        s = s.replace(" +", "+").replace(" -", "-");
        if (s.endsWith("z")) {
            s = s.substring(0, s.length() - 1) + "Z";
        }
        s = COMPACT_OFFSET.matcher(s).replaceFirst("$1:$2");
        if (s.length() > 16) {
            s = HOUR_OFFSET.matcher(s).replaceFirst("$1:00");
        }
        // Pick the parser by the text's shape: a failed parse throws, and that costs more than the parse.
        try {
            if (hasOffset(s)) {
                return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            if (s.length() > 10) {
                return LocalDateTime.parse(s, LOCAL).toInstant(ZoneOffset.UTC);
            }
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new EvalException("not a timestamp: " + Values.describe(text));
        }
    }

    /**
     * The common shapes, {@code YYYY-MM-DD HH:MM:SS[.f{1,9}]} (or with T; naive = UTC, as mem0 0.0.x wrote it)
     * and the same with an offset ({@code Z}, {@code ±HH:MM}, {@code ±HHMM}, {@code ±HH}: the 0.0.10-1.0.6 and
     * current spellings), read by {@link IsoTime}; null for any other text (the general parser decides, and gives
     * the same instant or the same error).
     */
    static Instant fast(String s) {
        IsoTime t = IsoTime.read(s);
        if (t == null) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(t.epochSecond(), t.nanos());
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Ends in Z or in an offset such as +00:00 after the time part. */
    private static boolean hasOffset(String s) {
        if (s.endsWith("Z")) {
            return true;
        }
        int t = s.indexOf('T');
        if (t < 0) {
            return false;
        }
        return s.indexOf('+', t) > 0 || s.indexOf('-', t) > 0;
    }

    /** The era a mem0 timestamp value belongs to, for inventory: epoch, pacific, utc, naive, other, missing. */
    public static String era(Object value) {
        if (value == null || value instanceof JsonNode n && n.isNull()) {
            return "missing";
        }
        Object v = value instanceof JsonNode n ? (n.isNumber() ? n.numberValue() : n.asText()) : value;
        if (v instanceof Number) {
            return "epoch";
        }
        String s = v.toString().trim();
        if (NUMBER.matcher(s).matches()) {
            return "epoch";
        }
        try {
            parse(s);
        } catch (EvalException e) {
            return "other";
        }
        if (s.endsWith("Z") || s.endsWith("+00:00") || s.endsWith("+0000")) {
            return "utc";
        }
        if (s.endsWith("-07:00") || s.endsWith("-08:00")) {
            return "pacific";
        }
        return s.matches(".*[+-]\\d{2}:?\\d{2}$") ? "offset" : "naive";
    }
}
