package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Embeddings through every form mig writes them in come back bit for bit: float32 bytes -> pgvector text
 * -> JSON (a backup line, parsed as the backup reader parses it) -> bytes, on random floats of every
 * magnitude (subnormals, -0, the largest), and the canonical text is the same from each form.
 */
class VectorTest {
    private static byte[] bytes(float... f) {
        ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b.array();
    }

    @Test
    void everyFormRoundTripsExactly() throws Exception {
        Random random = new Random(1536);
        for (int round = 0; round < 2000; round++) {
            float[] f = new float[1 + random.nextInt(40)];
            for (int i = 0; i < f.length; i++) {
                f[i] = switch (random.nextInt(6)) {
                    case 0 -> Float.intBitsToFloat(random.nextInt(0x00800000)); // subnormal
                    case 1 -> -0.0f;
                    case 2 -> Float.MAX_VALUE * (random.nextBoolean() ? 1 : -1);
                    case 3 -> (float) random.nextGaussian();
                    case 4 -> random.nextInt(1000) - 500;
                    default -> Float.intBitsToFloat(random.nextInt() & 0x7f7fffff) * (random.nextBoolean() ? 1 : -1);
                };
            }
            byte[] original = bytes(f);
            Vector v = Vector.of(original);
            Vector fromText = Vector.of(v.text());
            String backupLine = Values.JSON.writeValueAsString(Values.toJson(v));
            Vector fromJson = Vector.of(Values.JSON.readTree(backupLine));
            assertArrayEquals(original, fromText.float32(), v.text());
            assertArrayEquals(original, fromJson.float32(), backupLine);
            assertEquals(Canonical.value(original, LogicalType.VECTOR), Canonical.value(v.text(), LogicalType.VECTOR));
            assertEquals(Canonical.value(original, LogicalType.VECTOR), Canonical.value(fromJson, LogicalType.VECTOR));
        }
    }

    @Test
    void badVectorsAreRefusedWithTheirReason() {
        assertTrue(assertThrows(EvalException.class, () -> Vector.of(new byte[13])).getMessage().contains("in fours, not 13 bytes"));
        assertTrue(assertThrows(EvalException.class, () -> Vector.of(bytes(1f, Float.NaN))).getMessage()
                .contains("NaN at dimension 2"));
        assertTrue(assertThrows(EvalException.class, () -> Vector.of(bytes(Float.POSITIVE_INFINITY))).getMessage()
                .contains("Infinity at dimension 1"));
        assertTrue(assertThrows(EvalException.class, () -> Vector.of("[1,x]")).getMessage().contains("dimension 2"));
        assertTrue(assertThrows(EvalException.class, () -> Vector.of(bytes(1f, 2f)).withDims(1536)).getMessage()
                .contains("2 dims where 1536 are expected"));
        assertEquals("[1,-0,0.5,1.0E-5]", Vector.of(bytes(1f, -0f, 0.5f, 1e-5f)).text());
    }
}
