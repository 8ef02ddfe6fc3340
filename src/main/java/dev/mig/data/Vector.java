package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.pickle.PickledFloats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An embedding: float32 values, as mem0's stores keep them (the TypeScript SDK's local store as the
 * little-endian bytes of a Float32Array, pgvector as {@code vector(n)}). Read from those bytes, from
 * pgvector's text {@code [1,2.5]} or a JSON array, and written back exactly: each value's text is
 * Java's shortest decimal that reads back as the same float, so nothing drifts through text, COPY, a
 * backup or a digest. NaN and infinities are refused (pgvector refuses them too).
 */
public final class Vector {
    private final float[] values;

    private Vector(float[] values) {
        this.values = values;
    }

    /** A vector from float32 bytes, pgvector or JSON array text, a JSON array, or a vector. */
    public static Vector of(Object value) {
        if (value instanceof Vector v) {
            return v;
        }
        if (value instanceof byte[] bytes) {
            return ofFloat32(bytes);
        }
        if (value instanceof JsonNode node) {
            if (node.isArray()) {
                return ofJson(node);
            }
            if (node.isObject()) {
                return named(node);
            }
            if (node.isTextual()) {
                return parse(node.asText());
            }
        }
        if (value instanceof String s) {
            return parse(s);
        }
        throw new EvalException("not a vector: " + Values.describe(value) + " (a vector is float32 bytes, [1,2,3] text or a JSON array)");
    }

    static Vector ofFloat32(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new EvalException("a float32 vector's bytes come in fours, not " + bytes.length + " bytes");
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return checked(out);
    }

    static Vector parse(String text) {
        String t = text.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new EvalException("not a vector: '" + (t.length() > 40 ? t.substring(0, 37) + "..." : t) + "' (expected [1,2,3])");
        }
        String inner = t.substring(1, t.length() - 1).strip();
        if (inner.isEmpty()) {
            return checked(new float[0]);
        }
        String[] parts = inner.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new EvalException("not a number at dimension " + (i + 1) + " of a vector: '" + parts[i].strip() + "'");
            }
        }
        return checked(out);
    }

    /**
     * Qdrant's named vectors, {"": [...], "bm25": {indices, values}}: the unnamed dense vector, which mem0
     * (2.0+) keeps under "" beside its sparse keyword vector.
     */
    private static Vector named(JsonNode object) {
        JsonNode dense = object.get("");
        if (dense == null || !dense.isArray()) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(n -> names.add("'" + n + "'"));
            throw new EvalException("named vectors without an unnamed dense one (\"\"): " + String.join(", ", names));
        }
        return ofJson(dense);
    }

    /**
     * A vector as unpickled: a list of Python floats (or ints), rounded to float32 as numpy's cast does, or
     * Qdrant's named vectors (a dict), whose unnamed dense one ("") it is.
     */
    static Vector ofPickled(Object value) {
        if (value instanceof PickledFloats floats) { // the usual case: no boxed value on the way
            float[] out = new float[floats.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) floats.at(i);
            }
            return checked(out);
        }
        if (value instanceof List<?> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new EvalException("not a number at dimension " + (i + 1) + " of a vector: " + Values.describe(list.get(i)));
                }
                out[i] = (float) n.doubleValue();
            }
            return checked(out);
        }
        if (value instanceof Map<?, ?> named) {
            Object dense = named.get("");
            if (dense instanceof List<?>) {
                return ofPickled(dense);
            }
            throw new EvalException("named vectors without an unnamed dense one (\"\"): " + named.keySet().stream()
                    .map(k -> "'" + k + "'").sorted().collect(Collectors.joining(", ")));
        }
        throw new EvalException("not a vector: " + Values.describe(value) + " (a pickled vector is a list of floats)");
    }

    static Vector ofJson(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isNumber()) {
                throw new EvalException("not a number at dimension " + (i + 1) + " of a vector: " + n);
            }
            // a double (a Python float, unpickled) rounds to float32 as numpy's float32 cast does; a number read
            // from JSON text is rounded from its decimal text, with no detour through a double
            out[i] = n.isDouble() ? (float) n.doubleValue() : Float.parseFloat(n.asText());
        }
        return checked(out);
    }

    private static Vector checked(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new EvalException(values[i] + " at dimension " + (i + 1) + " of a vector (pgvector refuses NaN and "
                        + "infinities)");
            }
        }
        return new Vector(values);
    }

    public int dims() {
        return values.length;
    }

    /** The same vector, or an error naming both sizes. */
    public Vector withDims(long expected) {
        if (values.length != expected) {
            throw new EvalException("a vector of " + values.length + " dims where " + expected + " are expected");
        }
        return this;
    }

    /** The float at dimension i (0-based). */
    public float at(int i) {
        return values[i];
    }

    private static final VarHandle INT_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** The float bits, big-endian, written at b[at..at + 4 x dims) (pgvector's binary form; raw bits, so exact). */
    public void bigEndianInto(byte[] b, int at) {
        for (int i = 0; i < values.length; i++) {
            INT_BIG_ENDIAN.set(b, at + 4 * i, Float.floatToRawIntBits(values[i]));
        }
    }

    /** The little-endian float32 bytes (a Float32Array's buffer). */
    public byte[] float32() {
        ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(values);
        return out.array();
    }

    /** pgvector's text form, each value the shortest decimal that reads back as the same float. */
    public String text() {
        StringBuilder out = new StringBuilder(values.length * 12 + 2).append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            float f = values[i];
            if (Float.floatToRawIntBits(f) == 0x80000000) {
                out.append("-0"); // keep the sign of zero: the bytes come back the same
            } else {
                out.append(f == (long) f && Math.abs(f) < 1e15f ? Long.toString((long) f) : Float.toString(f));
            }
        }
        return out.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vector v && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return text();
    }
}
