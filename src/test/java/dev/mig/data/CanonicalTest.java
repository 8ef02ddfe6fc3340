package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalTest {
    @Test
    void equalDataFromEitherDatabaseHasEqualText() {
        // SQLite gives INTEGER 1 for a boolean, text for JSON and naive text for a time;
        // PostgreSQL gives Boolean, a parsed JSON value and an OffsetDateTime.
        Map<String, LogicalType> types = Map.of("ok", LogicalType.BOOLEAN, "payload", LogicalType.JSON,
                "at", LogicalType.TIMESTAMP, "n", LogicalType.FLOAT);
        Map<String, Object> sqlite = new LinkedHashMap<>();
        sqlite.put("ok", 1L);
        sqlite.put("payload", "{\"b\": 2, \"a\": \"x\"}");
        sqlite.put("at", "2024-07-01 17:30:00");
        sqlite.put("n", 1.5d);
        Map<String, Object> postgres = new LinkedHashMap<>();
        postgres.put("n", new BigDecimal("1.50"));
        postgres.put("at", OffsetDateTime.of(2024, 7, 1, 17, 30, 0, 0, ZoneOffset.UTC));
        postgres.put("payload", Values.parseJson("{\"a\":\"x\",\"b\":2}"));
        postgres.put("ok", true);
        String a = Canonical.row(sqlite, types);
        assertEquals(a, Canonical.row(postgres, types));
        assertEquals("{\"at\":\"2024-07-01 17:30:00+00\",\"n\":1.5,\"ok\":true,\"payload\":{\"a\":\"x\",\"b\":2}}", a);
        Canonical.RowText text = Canonical.rows(List.of("payload", "ok", "n", "at"), types);
        assertEquals(a, text.of(sqlite));
        assertEquals(a, text.of(postgres));
    }

    @Test
    void aTableRowTextIsTheRowText() {
        Map<String, LogicalType> types = Map.of("B", LogicalType.INTEGER, "a\"q", LogicalType.TEXT, "é", LogicalType.TIMESTAMP);
        Canonical.RowText text = Canonical.rows(List.of("é", "a\"q", "B", "none"), types);
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("é", random.nextBoolean() ? null : "2024-07-0" + (1 + random.nextInt(9)) + " 12:00:00." + random.nextInt(999));
            row.put("a\"q", random.nextBoolean() ? null : "x\n" + random.nextInt());
            row.put("B", random.nextBoolean() ? null : (long) random.nextInt());
            row.put("none", random.nextInt(3) == 0 ? null : List.of(1, "two"));
            assertEquals(Canonical.row(row, types), text.of(row));
        }
        assertEquals("{}", Canonical.rows(List.of(), types).of(Map.of()));
        assertEquals(Canonical.row(Map.of(), types), Canonical.rows(List.of(), types).of(Map.of()));
    }

    @Test
    void numbersInShortestForm() {
        assertEquals("2", Canonical.number(2.0d));
        assertEquals("1.5", Canonical.number(new BigDecimal("1.500")));
        assertEquals("1000", Canonical.number(new BigDecimal("1E+3")));
        assertEquals("0", Canonical.number(new BigDecimal("0.000")));
        assertEquals("-7", Canonical.number(-7L));
    }

    @Test
    void stringsAreEscapedAndUnicodeKept() {
        assertEquals("\"a\\\"b\\n\u00e9\uD83D\uDE00\\u0001\"", Canonical.value("a\"b\n\u00e9\uD83D\uDE00\u0001", LogicalType.TEXT));
    }

    @Test
    void digestIgnoresOrderButNotDuplicates() {
        Digest one = new Digest();
        one.add("{\"id\":1}");
        one.add("{\"id\":2}");
        Digest two = new Digest();
        two.add("{\"id\":2}");
        two.add("{\"id\":1}");
        assertEquals(one.toString(), two.toString());
        Digest dup = new Digest();
        dup.add("{\"id\":1}");
        dup.add("{\"id\":1}");
        assertNotEquals(one.toString().split(":")[1], dup.toString().split(":")[1]);
        assertEquals("2", one.toString().split(":")[0]);
    }

    @Test
    void instantTextTakesTheShortcutOnlyWhereTheFullParseAgrees() {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>(List.of("2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
                "2024-07-01T17:30:00.120Z", "2024-07-01T17:30:00.000Z", "2024-07-01T17:30:00.123456789Z", "0001-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z", "2024-13-01T00:00:00Z", "2024-07-01T24:00:00Z", "2024-07-01T17:30:00.Z",
                "2024-07-01 17:30:00Z", "2024-07-01T17:30:00+00:00", "9999-12-31T23:59:59.999999Z", "2024-07-01T17:3a:00Z"));
        for (int i = 0; i < 2000; i++) {
            long seconds = random.nextLong() % 253_402_300_800L;
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(Math.abs(seconds), nanos);
            texts.add(DateTimeFormatter.ISO_INSTANT.format(instant));
            texts.add(Timestamps.format(instant)); // what utc() writes: +00:00
            texts.add(Canonical.micros(instant)); // what PostgreSQL writes for a timestamptz in UTC: +00
            texts.add(Canonical.micros(instant).replace("+00", "0+00").replace(' ', 'T'));
        }
        int fast = 0;
        for (String text : texts) {
            String shortcut = Canonical.fromInstantText(text);
            String full;
            try {
                Instant instant = Timestamps.instant(text);
                full = Canonical.value(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC), LogicalType.TIMESTAMP);
            } catch (EvalException e) {
                full = null;
            }
            if (shortcut != null) {
                fast++;
                assertEquals(full, "\"" + shortcut + "\"", text);
            }
        }
        assertTrue(fast > 7500, "the shortcut is taken for utc() text: " + fast);
    }

    /** The escaper as it was written first, one character at a time: the bulk-copying one must agree. */
    private static String escapedOneByOne(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    @Test
    void stringEscapesAgreeWithTheOneCharacterAtATimeDefinition() {
        Random random = new Random(5);
        char[] alphabet = {'a', ' ', '"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f', 'é', '中', '\ud83d', '\ude00'};
        for (int round = 0; round < 5000; round++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                s.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : alphabet[random.nextInt(alphabet.length)]);
            }
            assertEquals(escapedOneByOne(s.toString()), Canonical.value(s.toString(), LogicalType.TEXT), "round " + round);
        }
    }

    @Test
    void timestampsWrittenDigitByDigitAsTheFormatterWritesThem() {
        DateTimeFormatter micros = new DateTimeFormatterBuilder()
                .appendPattern("uuuu-MM-dd HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true)
                .appendLiteral("+00").toFormatter().withZone(ZoneOffset.UTC);
        Random random = new Random(17);
        long min = -62135596800L;
        long max = 253402300800L;
        for (int i = 0; i < 200_000; i++) {
            long second = min + (long) (random.nextDouble() * (max - min));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000_000) * 1000;
                case 2 -> random.nextInt(1000) * 1_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            assertEquals(micros.format(instant), Canonical.micros(instant), instant.toString());
        }
        for (Instant edge : new Instant[] {Instant.ofEpochSecond(min),
            Instant.ofEpochSecond(max - 1, 999_999_999), Instant.EPOCH, Instant.ofEpochSecond(0, 1000)}) {
            assertEquals(micros.format(edge), Canonical.micros(edge), edge.toString());
        }
    }
}
