package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.pickle.Pickles;
import dev.mig.syntax.Expr;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;

/** The functions of {@link Functions}, evaluated. */
final class Builtins {
    private Builtins() {
    }

    static Object call(Evaluator evaluator, Expr.Call c, Row row, Instant now, Evaluator.TableFunctions tables) {
        String name = c.function().toLowerCase(Locale.ROOT);
        if (name.equals("count") || name.equals("first_seen_days") || Functions.AGGREGATES.contains(name)) {
            return tables.call(c, row);
        }
        if (name.equals("coalesce")) {
            for (Expr arg : c.args()) {
                Object v = evaluator.eval(arg, row);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        if (name.equals("vector") && c.args().get(0) instanceof Expr.Call inner && inner.function().equalsIgnoreCase("unpickle")) {
            return pickledVector(evaluator, c, inner, row);
        }
        List<Object> args = new ArrayList<>();
        for (Expr arg : c.args()) {
            args.add(evaluator.eval(arg, row));
        }
        return switch (name) {
            case "concat", "now", "uuid", "required" -> ofAnyArguments(name, args, now);
            default -> args.isEmpty() || args.get(0) == null ? null : ofValue(name, args, now); // null on null input
        };
    }

    /** vector(unpickle(...)): the pickled floats straight into the vector, without a JSON array between. */
    private static Object pickledVector(Evaluator evaluator, Expr.Call c, Expr.Call inner, Row row) {
        List<Object> innerArgs = new ArrayList<>();
        for (Expr arg : inner.args()) {
            innerArgs.add(evaluator.eval(arg, row));
        }
        Object dims = c.args().size() > 1 ? evaluator.eval(c.args().get(1), row) : null;
        Object pickled = innerArgs.get(0) == null ? null : unpickled(innerArgs.get(0), innerArgs.subList(1, innerArgs.size()));
        if (pickled == null) {
            return null;
        }
        Vector v = Vector.ofPickled(pickled);
        return dims == null ? v : v.withDims(Casts.toLong(dims, "integer"));
    }

    /** The functions that take null arguments as they come (or none at all). */
    private static Object ofAnyArguments(String name, List<Object> args, Instant now) {
        Object first = args.isEmpty() ? null : args.get(0);
        switch (name) {
            case "concat": {
                StringBuilder out = new StringBuilder();
                for (Object arg : args) {
                    if (arg != null) {
                        out.append(Values.text(arg));
                    }
                }
                return out.toString();
            }
            case "now":
                return Timestamps.format(now);
            case "uuid":
                if (args.isEmpty()) {
                    return UUID.randomUUID().toString();
                }
                return first == null ? null : UUID.nameUUIDFromBytes(Values.text(first).getBytes(StandardCharsets.UTF_8)).toString();
            default: // required
                if (first == null) {
                    throw new EvalException(args.get(1) == null ? "a required value is null" : Values.text(args.get(1)));
                }
                return first;
        }
    }

    /** Every other function, of a first argument that is not null. */
    private static Object ofValue(String name, List<Object> args, Instant now) {
        Object first = args.get(0);
        switch (name) {
            case "vector":
                return args.size() > 1 && args.get(1) != null
                        ? Vector.of(first).withDims(Casts.toLong(args.get(1), "integer")) : Vector.of(first);
            case "dims":
                return (long) Vector.of(first).dims();
            case "float32":
                return Vector.of(first).float32();
            case "unpickle":
                return unpickle(first, args.subList(1, args.size()));
            default:
                break;
        }
        String text = Values.text(first);
        return switch (name) {
            case "lower" -> text.toLowerCase(Locale.ROOT);
            case "upper" -> text.toUpperCase(Locale.ROOT);
            case "trim" -> text.strip();
            case "replace" -> args.get(1) == null || args.get(2) == null ? null
                    : text.replace(Values.text(args.get(1)), Values.text(args.get(2)));
            case "length" -> (long) text.codePointCount(0, text.length());
            case "md5" -> DigestUtils.md5Hex(text.getBytes(StandardCharsets.UTF_8));
            case "sha256" -> DigestUtils.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
            case "json" -> first instanceof String s ? Values.parseJson(s) : Values.toJson(first);
            case "utc" -> Timestamps.utc(first);
            case "age_days" -> Timestamps.days(Timestamps.instant(first), now);
            default -> throw new EvalException("unknown function " + name);
        };
    }

    /**
     * unpickle(x, field...): x is the pickle's bytes, or its base64 text (how qdrant-client keys its points);
     * the value as JSON, scalars as plain values, or the named field of it (null when it has none).
     */
    private static Object unpickle(Object pickle, List<Object> fields) {
        Object selected = unpickled(pickle, fields);
        if (selected == null) {
            return null;
        }
        JsonNode node;
        try {
            node = Pickles.json(selected);
        } catch (Pickles.PickleRefused e) {
            throw new EvalException("refused pickle: " + e.getMessage());
        }
        return node.isNull() ? null : node.isValueNode() ? Values.fromJson(node) : node;
    }

    /** The last pickle each thread read: a map's lines read fields of the same point, which is unpickled once. */
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

    /** The pickle's value as unpickled (models, lists, maps), or the field the names lead to; null if absent. */
    private static Object unpickled(Object pickle, List<Object> fields) {
        Object[] last = LAST.get();
        Object value;
        if (last[0] == pickle) {
            value = last[1];
        } else {
            try {
                value = Pickles.load(pickleBytes(pickle));
            } catch (Pickles.PickleRefused e) {
                throw new EvalException("refused pickle: " + e.getMessage());
            }
            last[0] = pickle;
            last[1] = value;
        }
        for (Object field : fields) {
            if (field == null) {
                return null;
            }
            value = value instanceof Pickles.Model m ? m.fields().get(Values.text(field))
                    : value instanceof Map<?, ?> map ? map.get(Values.text(field)) : null;
        }
        return value;
    }

    private static byte[] pickleBytes(Object pickle) {
        if (pickle instanceof byte[] b) {
            return b;
        }
        if (pickle instanceof String text) {
            try {
                return Base64.getDecoder().decode(text.strip());
            } catch (IllegalArgumentException e) {
                throw new EvalException("not a pickle: text that is not base64 (" + Values.describe(text) + ")");
            }
        }
        throw new EvalException("not a pickle: " + Values.describe(pickle) + " (a pickle is bytes or base64 text)");
    }
}
