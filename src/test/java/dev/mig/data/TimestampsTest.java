package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // mem0 0.0.x payloads: epoch seconds, as number text
        "1719855000|2024-07-01T17:30:00+00:00",
        "1719855000.25|2024-07-01T17:30:00.250000+00:00",
        // epoch milliseconds
        "1719855000000|2024-07-01T17:30:00+00:00",
        // 0.0.10 .. 1.0.6: ISO with US/Pacific offsets (summer and winter)
        "2024-07-01T10:30:00.123456-07:00|2024-07-01T17:30:00.123456+00:00",
        "2024-12-01T09:30:00-08:00|2024-12-01T17:30:00+00:00",
        // G0 history: naive datetime.utcnow(), str() and isoformat() forms
        "2024-07-01 17:30:00.654321|2024-07-01T17:30:00.654321+00:00",
        "2024-07-01T17:30:00|2024-07-01T17:30:00+00:00",
        // Python isoformat() keeps six digits, so .120000 stays six digits and text order is time order
        "2024-07-01T17:30:00.12+00:00|2024-07-01T17:30:00.120000+00:00",
        "2024-07-01T17:30:00.123Z|2024-07-01T17:30:00.123000+00:00",
        "2024-07-01T17:30:00.123456789Z|2024-07-01T17:30:00.123456789+00:00",
        "2024-07-01 17:30|2024-07-01T17:30:00+00:00",
        // 2026 on: UTC ISO
        "2026-03-05T08:00:00Z|2026-03-05T08:00:00+00:00",
        "2026-03-05T08:00:00+00:00|2026-03-05T08:00:00+00:00",
        "2026-03-05 08:00:00+0000|2026-03-05T08:00:00+00:00",
        "2026-03-05 08:00:00 UTC|2026-03-05T08:00:00+00:00",
        "2026-03-05T10:00:00+02|2026-03-05T08:00:00+00:00",
        "2026-03-05|2026-03-05T00:00:00+00:00",
        "'  2024-07-01T10:30:00-07:00 '|2024-07-01T17:30:00+00:00",
    })
    void normalisesEveryMem0Form(String input, String expected) {
        assertEquals(expected, Timestamps.utc(input));
    }

    @Test
    void numbersAndJdbcTypes() {
        assertEquals("2024-07-01T17:30:00+00:00", Timestamps.utc(1719855000L));
        assertEquals("2024-07-01T17:30:00+00:00", Timestamps.utc(OffsetDateTime.of(2024, 7, 1, 10, 30, 0, 0, ZoneOffset.ofHours(-7))));
        assertEquals("2024-07-01T17:30:00+00:00", Timestamps.utc(LocalDateTime.of(2024, 7, 1, 17, 30)));
        assertEquals("2024-07-01T17:30:00+00:00", Timestamps.utc(Values.NODES.numberNode(1719855000L)));
        assertNull(Timestamps.utc(null));
    }

    @Test
    void ageInDaysOfAnyTimeUtcReads() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        assertEquals("739954", Timestamps.days(Timestamps.instant("0001-01-01T00:00:00"), now).toPlainString(),
                "year 1 is 2025 years back: more nanoseconds than a long holds");
        assertEquals("-2549419", Timestamps.days(Timestamps.instant("9007-01-01T00:00:00Z"), now).toPlainString());
        assertEquals("1.5", Timestamps.days(Timestamps.instant("2026-12-03T12:00:00Z"), now).toPlainString());
    }

    @Test
    void garbageIsARowErrorNotACrash() {
        EvalException e = assertThrows(EvalException.class, () -> Timestamps.utc("yesterday"));
        assertEquals("not a timestamp: 'yesterday'", e.getMessage());
        assertThrows(EvalException.class, () -> Timestamps.utc(""));
        assertThrows(EvalException.class, () -> Timestamps.utc("2024-13-45T99:00:00"));
    }

    @Test
    void erasForInventory() {
        assertEquals("epoch", Timestamps.era(1719855000L));
        assertEquals("pacific", Timestamps.era("2024-07-01T10:30:00-07:00"));
        assertEquals("utc", Timestamps.era("2026-03-05T08:00:00Z"));
        assertEquals("naive", Timestamps.era("2024-07-01 17:30:00"));
        assertEquals("missing", Timestamps.era(null));
        assertEquals("other", Timestamps.era("soon"));
    }
}
