package dev.mig.db.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass COPY encoder writes exactly the bytes of the escaped text's getBytes(UTF_8). */
class CopyTextTest {
    /** The plain definition: escape, then encode. */
    private static String escaped(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    @Test
    void randomRowsEncodeLikeEscapeThenGetBytes() {
        Random random = new Random(11);
        char[] alphabet = {'a', 'Z', '0', ' ', '\\', '\n', '\r', '\t', '"', 'é', 'ß', '€', '中', '\u0000', '\u007f', '\u0080',
            '\u07ff', '\u0800', '\uffff', '\ud83d', '\ude00', '\udbff', '\udfff'};
        CopyText text = new CopyText();
        for (int round = 0; round < 200; round++) {
            text.clear();
            StringBuilder expected = new StringBuilder();
            for (int row = 0; row < 50; row++) {
                for (int col = 0; col < 4; col++) {
                    if (col > 0) {
                        text.separator();
                        expected.append('\t');
                    }
                    if (random.nextInt(7) == 0) {
                        text.nullValue();
                        expected.append("\\N");
                        continue;
                    }
                    StringBuilder value = new StringBuilder();
                    int n = random.nextInt(40);
                    for (int i = 0; i < n; i++) {
                        value.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x10000)
                                : alphabet[random.nextInt(alphabet.length)]);
                    }
                    text.value(value.toString());
                    expected.append(escaped(value.toString()));
                }
                text.endOfRow();
                expected.append('\n');
            }
            assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), Arrays.copyOf(text.bytes(), text.length()),
                    "round " + round);
        }
    }

    @Test
    void growsForLongValuesAndKeepsEmojiPairsWhole() {
        CopyText text = new CopyText();
        List<String> values = new ArrayList<>();
        values.add("😀".repeat(100_000));
        values.add("x\\y".repeat(50_000));
        values.add("\ud83d"); // an unpaired high surrogate at the end
        values.add("\ude00a"); // an unpaired low surrogate first
        StringBuilder expected = new StringBuilder();
        for (String v : values) {
            text.value(v);
            text.endOfRow();
            expected.append(escaped(v)).append('\n');
        }
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), Arrays.copyOf(text.bytes(), text.length()));
    }
}
