package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/** Converts an evaluated value to what a target column of a logical type stores. */
public final class Convert {
    private Convert() {
    }

    public static Object to(LogicalType type, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node && node.isValueNode() && type != LogicalType.JSON) {
            value = Values.fromJson(node);
            if (value == null) {
                return null;
            }
        }
        return switch (type) {
            case INTEGER -> Casts.toLong(value, "integer");
            case FLOAT -> Casts.toDecimal(value);
            case BOOLEAN -> Casts.to("bool", value);
            case JSON -> Casts.to("json", value);
            case UUID -> Casts.to("uuid", value);
            case TEXT -> value instanceof Vector v ? v.text() : Values.text(value);
            case BINARY -> value instanceof byte[] ? value : value instanceof Vector v ? v.float32()
                    : Values.text(value).getBytes(StandardCharsets.UTF_8);
            case VECTOR -> Vector.of(value);
            default -> value instanceof JsonNode node ? node.toString() : value;
        };
    }
}
