package dev.mig.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * The values mig works with: null, String, Long, BigDecimal, Double, Boolean, byte[] and Jackson
 * JsonNode (JSON objects and arrays). Helpers to convert and describe them.
 */
public final class Values {
    public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** Parses decimals exactly (a numeric(30,10) survives a backup digit for digit). */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(NODES).build();

    private Values() {
    }

    /** A JSON scalar as a plain value; objects and arrays stay JsonNode. */
    public static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node;
    }

    /** A value as a JSON node (for writing into a JSON column). */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger bi) {
            return NODES.numberNode(bi);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f.doubleValue());
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Vector v) {
            return NODES.textNode(v.text()); // as text: a JSON number read back as a decimal would lose -0
        }
        if (value instanceof InvalidText t) { // backups, rejects: the bytes, never a replacement
            return NODES.objectNode().put(InvalidText.JSON_KEY, t.hex());
        }
        return NODES.textNode(value.toString());
    }

    /** Parses JSON text; EvalException with a short reason when it is not JSON. */
    public static JsonNode parseJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new EvalException("bad JSON: empty text");
            }
            return node;
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            throw new EvalException("bad JSON: " + (reason.length() > 80 ? reason.substring(0, 80) + "..." : reason));
        }
    }

    /** Text form used by ||, concat, md5, casts to text. */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof JsonNode n) {
            return n.isValueNode() ? n.asText() : n.toString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof InvalidText t) {
            throw new EvalException(t.reason());
        }
        if (value instanceof Vector v) {
            return v.text();
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return Canonical.number((Number) value);
        }
        return value.toString();
    }

    /** A short description of a value for error messages and rejects. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = text(value);
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return value instanceof String ? "'" + shown + "'" : shown;
    }
}
