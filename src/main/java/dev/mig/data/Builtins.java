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

/**
 * The functions of {@link Builtin}, evaluated: each has its case in {@link #apply}'s switch, which has no
 * default, so a function added to the list does not compile until it is computed here.
 */
final class Builtins {
    private Builtins() {
    }

    static Object call(Evaluator evaluator, Expr.Call c, Row row, Instant now, Evaluator.TableFunctions tables) {
        Builtin fn = Builtin.of(c.function());
        if (fn == null) {
            throw new EvalException("unknown function " + c.function());
        }
        if (fn.reads() != Builtin.Reads.ROW) {
            return tables.call(c, row);
        }
        if (fn == Builtin.COALESCE) {
            for (Expr arg : c.args()) {
                Object v = evaluator.eval(arg, row);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        if (fn == Builtin.VECTOR && c.args().get(0) instanceof Expr.Call inner && Builtin.of(inner.function()) == Builtin.UNPICKLE) {
            return pickledVector(evaluator, c, inner, row);
        }
        List<Object> args = new ArrayList<>();
        for (Expr arg : c.args()) {
            args.add(evaluator.eval(arg, row));
        }
        return apply(fn, args, now);
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

    /** A function that reads only its arguments, of their values. */
    static Object apply(Builtin fn, List<Object> args, Instant now) {
        Object first = args.isEmpty() ? null : args.get(0);
        if (first == null && fn.nullOnNull()) {
            return null;
        }
        return switch (fn) {
            case COALESCE -> args.stream().filter(a -> a != null).findFirst().orElse(null);
            case CONCAT -> concat(args);
            case NOW -> Timestamps.format(now);
            case UUID -> args.isEmpty() ? UUID.randomUUID().toString() : first == null ? null
                    : UUID.nameUUIDFromBytes(Values.text(first).getBytes(StandardCharsets.UTF_8)).toString();
            case REQUIRED -> {
                if (first == null) {
                    throw new EvalException(args.get(1) == null ? "a required value is null" : Values.text(args.get(1)));
                }
                yield first;
            }
            case VECTOR -> args.size() > 1 && args.get(1) != null
                    ? Vector.of(first).withDims(Casts.toLong(args.get(1), "integer")) : Vector.of(first);
            case DIMS -> (long) Vector.of(first).dims();
            case FLOAT32 -> Vector.of(first).float32();
            case UNPICKLE -> unpickle(first, args.subList(1, args.size()));
            case LOWER -> Values.text(first).toLowerCase(Locale.ROOT);
            case UPPER -> Values.text(first).toUpperCase(Locale.ROOT);
            case TRIM -> Values.text(first).strip();
            case REPLACE -> args.get(1) == null || args.get(2) == null ? null
                    : Values.text(first).replace(Values.text(args.get(1)), Values.text(args.get(2)));
            case LENGTH -> {
                String text = Values.text(first);
                yield (long) text.codePointCount(0, text.length());
            }
            case MD5 -> DigestUtils.md5Hex(Values.text(first).getBytes(StandardCharsets.UTF_8));
            case SHA256 -> DigestUtils.sha256Hex(Values.text(first).getBytes(StandardCharsets.UTF_8));
            case JSON -> first instanceof String s ? Values.parseJson(s) : Values.toJson(first);
            case UTC -> Timestamps.utc(first);
            case AGE_DAYS -> Timestamps.days(Timestamps.instant(first), now);
            case COUNT, FIRST_SEEN_DAYS, ANY, EVERY, MAX, MIN ->
                    throw new IllegalStateException(fn.id() + "() reads more than its arguments: Evaluator.TableFunctions");
        };
    }

    private static String concat(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (Object arg : args) {
            if (arg != null) {
                out.append(Values.text(arg));
            }
        }
        return out.toString();
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
