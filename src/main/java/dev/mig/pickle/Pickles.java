package dev.mig.pickle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import net.razorvine.pickle.PickleException;

/**
 * Python pickles as mig values: what a local Qdrant keeps for each point (a pickled PointStruct of
 * qdrant-client's models, pydantic 1 or 2) and what mem0's FAISS store kept as its docstore (plain dicts).
 * Read by razorvine's Unpickler (net.razorvine:pickle), a Java reader that cannot run Python; on top of it,
 * only the classes such a pickle is made of may be named at all (see {@link Allowed}), so a pickle that would
 * run a command, load another class, or is cut short is refused with the reason, never half-read.
 */
public final class Pickles {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Pickles() {
    }

    /** The pickle's value: Java strings, numbers, booleans, null, lists, maps, sets, tuples (Object[]) and {@link Model}s. */
    public static Object load(byte[] pickle) {
        return load(pickle, false);
    }

    /** As {@link #load}, allowing no class at all (sets aside): plain Python data, as mem0's FAISS docstore pickle. */
    public static Object loadPlain(byte[] pickle) {
        return load(pickle, true);
    }

    private static Object load(byte[] pickle, boolean plain) {
        if (pickle.length == 0) {
            throw new PickleRefused("an empty value is not a pickle");
        }
        if ((pickle[0] & 0xff) != 0x80 && pickle[0] != '(' && pickle[0] != ']' && pickle[0] != '}' && pickle[0] != 'c') {
            throw new PickleRefused("not a pickle (it starts with byte 0x" + String.format("%02x", pickle[0] & 0xff) + ")");
        }
        try (RestrictedUnpickler unpickler = new RestrictedUnpickler(plain)) {
            return unpickler.read(pickle);
        } catch (PickleRefused e) {
            throw e;
        } catch (IndexOutOfBoundsException | IOException e) {
            throw new PickleRefused("a truncated pickle (" + pickle.length + " bytes; it ends before its STOP opcode)");
        } catch (PickleException | ClassCastException | NullPointerException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof PickleRefused refused) {
                    throw refused; // refused inside BUILD (a state of the wrong shape), which razorvine wraps
                }
            }
            throw new PickleRefused("a malformed pickle: " + message(e));
        }
    }

    /**
     * The value as JSON: a model is the object of its fields, a UUID its text, a tuple or a list an array. A set,
     * bytes, or a dict with keys that are not text is not JSON and is refused with the path where it is.
     */
    public static JsonNode json(Object value) {
        try {
            return node(value);
        } catch (NotJson e) {
            throw new PickleRefused(e.getMessage() + " at " + (e.path.isEmpty() ? "the top" : e.path.substring(e.path.startsWith(".") ? 1 : 0)));
        }
    }

    private static JsonNode node(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (value instanceof Float f) {
            return NODES.numberNode((double) f);
        }
        if (value instanceof Model m) {
            return m.uuid() != null ? NODES.textNode(m.uuid().toString()) : node(m.fields());
        }
        if (value instanceof Object[] tuple) {
            return array(List.of(tuple));
        }
        if (value instanceof List<?> list) {
            return array(list);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new NotJson("a dict key that is not text (" + describe(e.getKey()) + ")");
                }
                try {
                    out.set(key, node(e.getValue()));
                } catch (NotJson inner) {
                    throw inner.under("." + key);
                }
            }
            return out;
        }
        throw new NotJson(describe(value) + " is not JSON");
    }

    private static ArrayNode array(Collection<?> items) {
        ArrayNode out = NODES.arrayNode(items.size());
        int i = 0;
        for (Object item : items) {
            try {
                out.add(node(item));
            } catch (NotJson inner) {
                throw inner.under("[" + i + "]");
            }
            i++;
        }
        return out;
    }

    /** A value that is not JSON, and where (the path is built only when it happens). */
    private static final class NotJson extends RuntimeException {
        private String path = "";

        NotJson(String reason) {
            super(reason, null, false, false);
        }

        NotJson under(String step) {
            path = step + path;
            return this;
        }
    }

    static String describe(Object value) {
        if (value instanceof Set<?>) {
            return "a set";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        return value == null ? "None" : "a " + value.getClass().getSimpleName();
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    /** A refused pickle: why, in words for a rejects file. */
    public static final class PickleRefused extends RuntimeException {
        public PickleRefused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * An instance of an allowed class: its qualified name and the fields of its pickled state. Unpickling
     * makes it empty (NEWOBJ) and gives it its state (BUILD calls __setstate__); a state of another shape
     * than pydantic 1's or pydantic 2's (or a UUID's) is refused.
     */
    public static final class Model {
        private final String className;
        private Map<String, Object> fields;
        private UUID uuid;

        Model(String className) {
            this.className = className;
        }

        public String className() {
            return className;
        }

        /** The model's fields (its {@code __dict__}); empty for a UUID. */
        public Map<String, Object> fields() {
            return fields == null ? Map.of() : fields;
        }

        /** The UUID a {@code uuid.UUID} stands for, else null. */
        public UUID uuid() {
            return uuid;
        }

        /** Called by BUILD (by reflection, with the state dict). */
        public void __setstate__(HashMap<?, ?> state) {
            if (fields != null || uuid != null) {
                throw new PickleRefused("the state of " + className + " is given twice");
            }
            if (className.equals("uuid.UUID")) {
                if (!(state.get("int") instanceof Number n)) {
                    throw new PickleRefused("a uuid.UUID without its int");
                }
                BigInteger value = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
                uuid = new UUID(value.shiftRight(64).longValue(), value.longValue());
                return;
            }
            Object dict = state.get("__dict__");
            Set<Object> keys = new HashSet<>(state.keySet());
            boolean pydantic1 = keys.equals(Set.of("__dict__", "__fields_set__", "__private_attribute_values__"))
                    || keys.equals(Set.of("__dict__", "__fields_set__"));
            boolean pydantic2 = keys.equals(Set.of("__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__"));
            if (!(dict instanceof Map<?, ?> map) || !pydantic1 && !pydantic2) {
                throw new PickleRefused("the state of " + className + " is not one pydantic 1 or 2 pickles (keys: "
                        + new TreeSet<>(keys.stream().map(String::valueOf).toList()) + ")");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), e.getValue());
            }
            if (pydantic2 && state.get("__pydantic_extra__") instanceof Map<?, ?> extra) {
                extra.forEach((k, v) -> out.put(String.valueOf(k), v)); // extra="allow": fields like any other
            }
            fields = out;
        }
    }
}
