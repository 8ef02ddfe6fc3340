package dev.mig.db;

import dev.mig.data.Utf8;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash escapes),
 * escaped and encoded to UTF-8 in one pass into one reusable buffer. Building a String and then
 * calling getBytes cost a third of a streamed map's CPU (profile in docs/benchmarks.md). The bytes
 * are exactly those of {@code escaped.getBytes(UTF_8)}, an unpaired surrogate included ('?').
 */
final class CopyText {
    private byte[] bytes = new byte[1 << 16];
    private int length;

    void clear() {
        // A buffer the batches fill is kept (growing it again each batch is what the collector pays for);
        // one that a batch of rare huge values left behind (over four times what the last batch used) is let go.
        if (bytes.length > 1 << 22 && length < bytes.length / 4) {
            bytes = new byte[1 << 16];
        }
        length = 0;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    void separator() {
        room(1);
        bytes[length++] = '\t';
    }

    void endOfRow() {
        room(1);
        bytes[length++] = '\n';
    }

    void nullValue() {
        room(2);
        bytes[length++] = '\\';
        bytes[length++] = 'N';
    }

    /** One value: the COPY escapes of backslash, newline, carriage return and tab, then UTF-8. */
    void value(String text) {
        int n = text.length();
        room(3 * n); // at most three bytes a char: an escape is two, a surrogate pair four for two chars
        byte[] b = bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> {
                        b[at++] = '\\';
                        b[at++] = '\\';
                    }
                    case '\n' -> {
                        b[at++] = '\\';
                        b[at++] = 'n';
                    }
                    case '\r' -> {
                        b[at++] = '\\';
                        b[at++] = 'r';
                    }
                    case '\t' -> {
                        b[at++] = '\\';
                        b[at++] = 't';
                    }
                    default -> b[at++] = (byte) c;
                }
            } else {
                int from = at;
                at = Utf8.put(text, i, b, at);
                if (at - from == 4) {
                    i++; // a surrogate pair: two chars, one character
                }
            }
        }
        length = at;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
