package dev.mig.db.internal;

import dev.mig.data.Utf8;

/**
 * Rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash escapes),
 * escaped and encoded to UTF-8 in one pass into one reusable buffer. Building a String and then
 * calling getBytes cost a third of a streamed map's CPU (profile in docs/benchmarks.md). The bytes
 * are exactly those of {@code escaped.getBytes(UTF_8)}, an unpaired surrogate included ('?').
 */
public final class CopyText extends CopyBuffer {

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
}
