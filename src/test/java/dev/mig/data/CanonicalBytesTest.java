package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bytes written straight to UTF-8 against the String text they replace: equal, value by value and row by row. */
class CanonicalBytesTest {
    private static final char[] ALPHABET = {'a', 'Z', ' ', '"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f',
        '\u0080', '\u00e9', '\u07ff', '\u0800', '\u4e2d', '\ud83d', '\ude00', '\uffff'};

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            s.append(random.nextInt(5) == 0 ? (char) random.nextInt(0x10000) : ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return s.toString();
    }

    private static Object value(Random random, LogicalType type) {
        if (random.nextInt(10) == 0) {
            return null;
        }
        // years 1 to 9999, the ones the canonical form writes digit by digit
        Instant instant = Instant.ofEpochSecond(-62_135_596_800L + Math.floorMod(random.nextLong(), 315_537_897_600L),
                random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
        return switch (type) {
            case TEXT, UUID, OTHER -> random.nextInt(8) == 0 ? (Object) random.nextLong() : text(random);
            case INTEGER -> switch (random.nextInt(5)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> random.nextInt();
                case 3 -> (long) random.nextInt(100) - 50;
                default -> random.nextLong();
            };
            case FLOAT -> random.nextBoolean() ? random.nextDouble() * 1000 : new BigDecimal("1.50" + random.nextInt(100));
            case BOOLEAN -> switch (random.nextInt(5)) {
                case 0 -> 1L;
                case 1 -> "0";
                case 2 -> "yes";
                default -> random.nextBoolean();
            };
            case TIMESTAMP -> switch (random.nextInt(8)) {
                case 0 -> Timestamps.format(instant); // what utc() writes
                case 1 -> DateTimeFormatter.ISO_INSTANT.format(instant);
                case 2 -> Canonical.micros(instant); // what PostgreSQL writes for a timestamptz in UTC
                case 3 -> Canonical.micros(instant).replace("+00", "0+00"); // not canonical: a trailing zero
                case 4 -> OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(2));
                case 5 -> "2024-02-30 10:00:00+00";
                case 6 -> "2024-07-01 17:30:00";
                default -> text(random);
            };
            case JSON -> random.nextBoolean() ? "{\"b\": [1, 2.50, \"" + random.nextInt() + "\"], \"a\": null}" : text(random);
            case BINARY -> text(random).getBytes(StandardCharsets.UTF_8);
            case VECTOR -> {
                float[] f = new float[random.nextInt(6)];
                for (int i = 0; i < f.length; i++) {
                    f[i] = Float.intBitsToFloat(random.nextInt() & 0x7f7fffff) * (random.nextBoolean() ? 1 : -1);
                }
                ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(f);
                yield random.nextBoolean() ? b.array() : Vector.of(b.array()).text();
            }
        };
    }

    @Test
    void valuesAreTheUtf8OfTheirCanonicalText() {
        Random random = new Random(23);
        CanonicalBytes bytes = new CanonicalBytes();
        for (int round = 0; round < 20_000; round++) {
            LogicalType type = LogicalType.values()[random.nextInt(LogicalType.values().length)];
            Object value = value(random, type);
            bytes.clear();
            bytes.value(value, type);
            assertArrayEquals(Canonical.utf8(Canonical.value(value, type)), bytes.bytes(), type + " " + value);
        }
    }

    @Test
    void rowHashesAreTheDigestsRowHashes() {
        Random random = new Random(29);
        CanonicalBytes bytes = new CanonicalBytes();
        for (int round = 0; round < 5_000; round++) {
            StringBuilder row = new StringBuilder("{");
            bytes.clear();
            bytes.raw("{".getBytes(StandardCharsets.UTF_8));
            List<LogicalType> types = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                types.add(LogicalType.values()[random.nextInt(LogicalType.values().length)]);
            }
            for (LogicalType type : types) {
                Object value = value(random, type);
                row.append(Canonical.value(value, type)).append(',');
                bytes.value(value, type);
                bytes.raw(",".getBytes(StandardCharsets.UTF_8));
            }
            row.append('}');
            bytes.raw("}".getBytes(StandardCharsets.UTF_8));
            assertEquals(Digest.rowHash(row.toString()), bytes.hash(), row.toString());
        }
    }

    @Test
    void aBufferGrownByAHugeRowIsStillRight() {
        CanonicalBytes bytes = new CanonicalBytes();
        String huge = "\u4e2d".repeat(600_000);
        bytes.value(huge, LogicalType.TEXT);
        assertArrayEquals(Canonical.utf8(Canonical.value(huge, LogicalType.TEXT)), bytes.bytes());
        bytes.clear();
        bytes.value("x", LogicalType.TEXT);
        assertArrayEquals("\"x\"".getBytes(StandardCharsets.UTF_8), bytes.bytes());
    }
}
