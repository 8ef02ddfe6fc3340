package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical text of values and rows that digests are computed over: equal data gives equal
 * text whatever database held it. Numbers in shortest plain form (1.50 -> 1.5, 2.0 -> 2),
 * booleans as true/false, timestamps as ISO-8601 UTC, JSON objects with sorted keys.
 */
public final class Canonical {
    /** The instants {@link #micros} writes; others keep their ISO text (PostgreSQL's SQL renders only these). */
    private static final long MIN_SECOND = -62135596800L; // 0001-01-01T00:00:00Z
    private static final long MAX_SECOND = 253402300800L; // 10000-01-01T00:00:00Z

    private Canonical() {
    }

    /**
     * The canonical form of ISO-8601 UTC text as utc() writes it ({@code 2024-07-01T17:30:00.120000+00:00},
     * or with {@code Z}) or as PostgreSQL writes a {@code timestamptz} in UTC ({@code 2024-07-01 17:30:00.12+00}),
     * by moving characters instead of parsing - what a full parse and format would give, or null
     * when the text is not exactly of such a form (the full parse decides then).
     */
    static String fromInstantText(String text) {
        int end = instantTextEnd(text);
        return end < 0 ? null : text.substring(0, 10) + ' ' + text.substring(11, end) + "+00";
    }

    /**
     * Where the canonical form of UTC instant text ends, for text {@link #fromInstantText} takes: the
     * canonical form is characters 0-9, a space, characters 11 to the returned index (seconds, and a
     * fraction of at most six digits without trailing zeros), then {@code +00}. -1 for other text.
     */
    public static int instantTextEnd(String s) {
        int n = s.length();
        int zone;
        if (n > 0 && s.charAt(n - 1) == 'Z') {
            zone = n - 1;
        } else if (s.endsWith("+00:00")) {
            zone = n - 6;
        } else if (s.endsWith("+00")) {
            zone = n - 3;
        } else {
            return -1;
        }
        if (zone < 19 || zone > 29 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' && s.charAt(10) != ' '
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return -1;
        }
        for (int i : DIGITS) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        int year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
        int month = twoDigits(s, 5);
        int day = twoDigits(s, 8);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || twoDigits(s, 11) > 23
                || twoDigits(s, 14) > 59 || twoDigits(s, 17) > 59) {
            return -1;
        }
        int end = zone;
        if (zone > 19) {
            if (s.charAt(19) != '.' || zone == 20) {
                return -1;
            }
            for (int i = 20; i < zone; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
            }
            end = Math.min(zone, 26); // microseconds, as the formatter truncates
            while (end > 20 && s.charAt(end - 1) == '0') {
                end--;
            }
            if (end == 20) {
                end = 19; // no fraction left: no dot either
            }
        }
        return end;
    }

    private static final int[] DIGITS = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

    private static int twoDigits(String s, int at) {
        return (s.charAt(at) - '0') * 10 + s.charAt(at + 1) - '0';
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /**
     * An instant of years 1 to 9999 in the canonical form ({@code 2024-07-01 17:30:00.12+00}: UTC,
     * microseconds truncated, trailing zeros and a bare dot dropped - what PostgreSQL writes for a
     * {@code timestamptz} in UTC), digits put in place: a DateTimeFormatter cost 290 ns a call, two calls
     * a row of history (CanonicalTest checks the text against that formatter's).
     */
    static String micros(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] out = new char[29];
        digits(out, 0, t.getYear(), 4);
        out[4] = '-';
        digits(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, t.getDayOfMonth(), 2);
        out[10] = ' ';
        digits(out, 11, t.getHour(), 2);
        out[13] = ':';
        digits(out, 14, t.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, t.getSecond(), 2);
        int end = 19;
        int micros = instant.getNano() / 1000;
        if (micros != 0) {
            out[19] = '.';
            digits(out, 20, micros, 6);
            end = 26;
            while (out[end - 1] == '0') {
                end--;
            }
        }
        out[end] = '+';
        out[end + 1] = '0';
        out[end + 2] = '0';
        return new String(out, 0, end + 3);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Appends a column name as the row text writes it (a JSON string). */
    public static void appendName(StringBuilder out, String name) {
        appendString(out, name);
    }

    /** The canonical JSON text of one value of the given logical type. */
    public static String value(Object value, LogicalType type) {
        StringBuilder out = new StringBuilder();
        append(out, normalise(value, type));
        return out.toString();
    }

    /** The canonical JSON object text of a row: columns in sorted order. */
    public static String row(Map<String, Object> values, Map<String, LogicalType> types) {
        List<String> names = new ArrayList<>(values.keySet());
        Collections.sort(names);
        StringBuilder out = new StringBuilder("{");
        for (String name : names) {
            if (out.length() > 1) {
                out.append(',');
            }
            appendString(out, name);
            out.append(':');
            append(out, normalise(values.get(name), types.getOrDefault(name, LogicalType.OTHER)));
        }
        return out.append('}').toString();
    }

    /** The canonical text of rows of one table's columns: the names sorted and written once, not once a row. */
    public static RowText rows(List<String> columns, Map<String, LogicalType> types) {
        return new RowText(columns, types);
    }

    /** {@link #row} for rows that hold exactly these columns (what a TableReader reads), its text made faster. */
    public static final class RowText {
        private final String[] names;
        private final String[] prefixes;
        private final LogicalType[] types;

        private RowText(List<String> columns, Map<String, LogicalType> types) {
            List<String> sorted = new ArrayList<>(columns);
            Collections.sort(sorted);
            names = sorted.toArray(String[]::new);
            prefixes = new String[names.length];
            this.types = new LogicalType[names.length];
            for (int i = 0; i < names.length; i++) {
                StringBuilder prefix = new StringBuilder(i == 0 ? "{" : ",");
                appendString(prefix, names[i]);
                prefixes[i] = prefix.append(':').toString();
                this.types[i] = types.getOrDefault(names[i], LogicalType.OTHER);
            }
        }

        /** The canonical row text of a row of these columns. */
        public String of(Map<String, Object> values) {
            if (names.length == 0) {
                return "{}";
            }
            StringBuilder out = new StringBuilder(64);
            for (int i = 0; i < names.length; i++) {
                out.append(prefixes[i]);
                append(out, normalise(values.get(names[i]), types[i]));
            }
            return out.append('}').toString();
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The value as the logical type presents it: booleans from 0/1, timestamps in UTC, JSON parsed. */
    static Object normalise(Object value, LogicalType type) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case BOOLEAN:
                if (value instanceof Number n) {
                    return n.doubleValue() != 0;
                }
                if (value instanceof String s && (s.equals("0") || s.equals("1"))) {
                    return s.equals("1");
                }
                return value;
            case TIMESTAMP:
                if (value instanceof String text) {
                    String fast = fromInstantText(text);
                    if (fast != null) {
                        return fast;
                    }
                }
                try {
                    Instant instant = Timestamps.instant(value);
                    return instant.getEpochSecond() >= MIN_SECOND && instant.getEpochSecond() < MAX_SECOND
                            ? micros(instant) : Timestamps.format(instant);
                } catch (EvalException e) {
                    return value; // not a time after all: keep the text exactly
                }
            case VECTOR:
                try {
                    return Vector.of(value); // bytes, pgvector text or JSON: the same floats, one text
                } catch (EvalException e) {
                    return value;
                }
            case JSON:
                if (value instanceof String s) {
                    try {
                        return Values.parseJson(s);
                    } catch (EvalException e) {
                        return s;
                    }
                }
                return value;
            default:
                return value;
        }
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Number n) {
            out.append(number(n));
        } else if (value instanceof byte[] bytes) {
            appendString(out, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof JsonNode node) {
            appendJson(out, node);
        } else if (value instanceof Vector v) {
            out.append(v.text()); // a JSON array of the shortest decimals: the same floats, the same text
        } else if (value instanceof InvalidText t) {
            appendJson(out, Values.toJson(t)); // never equal to any text, nor to the text a driver decodes it to
        } else {
            appendString(out, value.toString());
        }
    }

    private static void appendJson(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendString(out, names.get(i));
                out.append(':');
                appendJson(out, node.get(names.get(i)));
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> items = node.elements();
            for (int i = 0; items.hasNext(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendJson(out, items.next());
            }
            out.append(']');
        } else {
            append(out, Values.fromJson(node));
        }
    }

    /** Shortest plain decimal text of a number: 2.0 -> 2, 1.50 -> 1.5, 1e3 -> 1000. */
    public static String number(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.toString();
        }
        BigDecimal d;
        if (n instanceof BigDecimal b) {
            d = b;
        } else if (n instanceof Double || n instanceof Float) {
            double v = n.doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                return "\"" + v + "\"";
            }
            d = new BigDecimal(Double.toString(v));
        } else {
            d = new BigDecimal(n.toString());
        }
        if (d.signum() == 0) {
            return "0";
        }
        return d.stripTrailingZeros().toPlainString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        int run = 0; // start of the characters not yet appended: they need no escape, and go in one copy
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b"); // as PostgreSQL's JSON output writes them
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]); // what %04x writes, without a Formatter a value
            }
        }
        out.append(s, run, n);
        out.append('"');
    }
}
