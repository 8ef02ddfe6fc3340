package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.UUID;

/** Conversions of {@code expr as type}; a value that cannot convert rejects its row. */
public final class Casts {
    private Casts() {
    }

    public static Object to(String type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case "text" -> Values.text(v);
            case "int", "bigint" -> toLong(v, type);
            case "float" -> toDecimal(v);
            case "bool" -> {
                Boolean b = toBool(v);
                if (b == null) {
                    throw new EvalException("cannot convert " + Values.describe(v) + " to bool");
                }
                yield b;
            }
            case "timestamp" -> Timestamps.utc(v);
            case "json" -> v instanceof JsonNode ? v : v instanceof String s ? Values.parseJson(s) : Values.toJson(v);
            case "uuid" -> uuid(v);
            default -> throw new EvalException("unknown type " + type);
        };
    }

    static Long toLong(Object v, String type) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        BigDecimal d = toDecimalOrNull(v);
        if (d == null) {
            throw new EvalException("cannot convert " + Values.describe(v) + " to " + type);
        }
        try {
            return d.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new EvalException("cannot convert " + Values.describe(v) + " to " + type + " exactly");
        }
    }

    static BigDecimal toDecimal(Object v) {
        BigDecimal d = toDecimalOrNull(v);
        if (d == null) {
            throw new EvalException("cannot convert " + Values.describe(v) + " to float");
        }
        return d;
    }

    private static BigDecimal toDecimalOrNull(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        String text = Values.text(v).trim();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Long when integral and in range, else BigDecimal; EvalException for non-numbers. */
    static Number toNumber(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return (long) i;
        }
        BigDecimal d = toDecimal(v);
        try {
            return d.scale() <= 0 ? (Number) d.longValueExact() : d;
        } catch (ArithmeticException e) {
            return d;
        }
    }

    /** true/false, 1/0, 't'/'f', 'yes'/'no'; null when not a truth value. */
    static Boolean toBool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).signum() != 0;
        }
        String s = Values.text(v).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "t", "1", "yes", "y", "on" -> true;
            case "false", "f", "0", "no", "n", "off" -> false;
            default -> null;
        };
    }

    private static String uuid(Object v) {
        String s = Values.text(v).trim().toLowerCase(Locale.ROOT);
        try {
            return UUID.fromString(s).toString().equals(s) ? s : bad(v);
        } catch (IllegalArgumentException e) {
            return bad(v);
        }
    }

    private static String bad(Object v) {
        throw new EvalException("cannot convert " + Values.describe(v) + " to uuid");
    }
}
