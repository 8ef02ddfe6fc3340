package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast paths of utc() give exactly what the general parser and the formatter give. */
class TimestampsFastPathTest {
    @Test
    void isoTextParsesToTheSameInstantAsTheGeneralParser() {
        Random random = new Random(20261130);
        int fast = 0;
        int offsets = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            s.append(String.format("%04d-%02d-%02d", random.nextInt(10000), 1 + random.nextInt(13), random.nextInt(33)));
            s.append(random.nextBoolean() ? ' ' : 'T');
            s.append(String.format("%02d:%02d:%02d", random.nextInt(25), random.nextInt(61), random.nextInt(62)));
            if (random.nextBoolean()) {
                int digits = random.nextInt(11);
                s.append('.');
                for (int d = 0; d < digits; d++) {
                    s.append((char) ('0' + random.nextInt(10)));
                }
            }
            switch (random.nextInt(8)) { // an offset in every spelling the fast path reads, and some it leaves alone
                case 0 -> s.append('Z');
                case 1 -> s.append(String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-', random.nextInt(20), random.nextInt(62)));
                case 2 -> s.append(String.format("%c%02d%02d", random.nextBoolean() ? '+' : '-', random.nextInt(20), random.nextInt(62)));
                case 3 -> s.append(String.format("%c%02d", random.nextBoolean() ? '+' : '-', random.nextInt(20)));
                case 4 -> s.append(random.nextBoolean() ? "z" : random.nextBoolean() ? " +05:00" : "+05:30:15");
                default -> { }
            }
            String text = s.toString();
            Instant quick = Timestamps.fast(text);
            if (quick == null) {
                continue;
            }
            fast++;
            offsets += IsoTime.read(text).hasOffset() ? 1 : 0;
            assertEquals(Timestamps.general(text), quick, text);
        }
        // most well-formed values take the fast path; malformed ones fall through to the general parser
        assertEquals(true, fast > 40_000, "fast path taken " + fast + " times");
        assertEquals(true, offsets > 10_000, "fast path with an offset taken " + offsets + " times");
        assertNull(Timestamps.fast("2024-02-30 10:00:00"));
        // not the fast path's business: the general parser answers as it always did
        assertEquals(Timestamps.format(Timestamps.general("2024-02-30 10:00:00")), Timestamps.utc("2024-02-30 10:00:00"));
        assertThrows(EvalException.class, () -> Timestamps.utc("2024-13-01 10:00:00"));
        assertNull(Timestamps.fast(" 2024-02-01 10:00:00"));
        assertNull(Timestamps.fast("2024-02-01 10:00:00+19:00"));
        assertEquals(Instant.parse("2024-02-01T04:30:00Z"), Timestamps.fast("2024-02-01 10:00:00+05:30"));
        assertEquals(Instant.parse("2024-02-01T17:00:00Z"), Timestamps.fast("2024-02-01T10:00:00-0700"));
        assertEquals("2024-07-01T10:00:00.120000+00:00", Timestamps.utc("2024-07-01 10:00:00.12"));
    }

    @Test
    void formatSpellsLikeTheFormatter() {
        DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long second = -62135596800L + (long) (random.nextDouble() * (253402300800L + 62135596800L));
            Instant at = Instant.ofEpochSecond(second, random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String formatted = Timestamps.format(at);
            assertEquals(seconds.format(at), formatted.substring(0, seconds.format(at).length()), at.toString());
            assertEquals(at, OffsetDateTime.parse(formatted).toInstant(), formatted);
        }
    }
}
