package dev.mig.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A row's canonical text written straight to UTF-8 in one reusable buffer, and its row hash: the
 * bytes are exactly {@code Canonical.utf8(text)} of the text {@link Canonical} makes, and {@link #hash}
 * is {@link Digest#rowHash} of it. A checksum hashes two rows a row of data; building each row's text as
 * a String, then its UTF-8 bytes, was 40% of a checksum's samples (docs/benchmarks.md). Not thread-safe:
 * one a thread.
 */
public final class CanonicalBytes {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha = DigestUtils.getSha256Digest();
    private byte[] bytes = new byte[1024];
    private int length;

    public void clear() {
        length = 0;
        if (bytes.length > 1 << 20) {
            bytes = new byte[1024]; // one huge row should not keep its buffer for the rest of the run
        }
    }

    /** Text written as it is: UTF-8 of text that needs no escapes (a column's {@code "name":}, braces). */
    public void raw(byte[] text) {
        room(text.length);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
    }

    /** The canonical JSON text of one value: the UTF-8 of {@link Canonical#value}. */
    public void value(Object value, LogicalType type) {
        if (value == null) {
            raw(NULL);
            return;
        }
        switch (type) {
            case TIMESTAMP -> {
                if (value instanceof String s && instant(s)) {
                    return;
                }
                general(value, type);
            }
            case BOOLEAN, JSON, VECTOR -> general(value, type); // the ones whose values normalising changes
            default -> {
                if (value instanceof String s) {
                    string(s);
                } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    integer(((Number) value).longValue());
                } else if (value instanceof Boolean b) {
                    raw(b ? TRUE : FALSE);
                } else {
                    general(value, type);
                }
            }
        }
    }

    /** The first 8 bytes of the sha256 of the text written since {@link #clear}, as a long (big-endian). */
    public long hash() {
        sha.update(bytes, 0, length);
        byte[] d = sha.digest();
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | d[i] & 0xFF;
        }
        return h;
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, length);
    }

    /** The rare kinds of value (numbers with fractions, JSON, binary, times as objects): through the String text. */
    private void general(Object value, LogicalType type) {
        raw(Canonical.utf8(Canonical.value(value, type)));
    }

    /** UTC instant text of the shapes {@link Canonical#instantTextEnd} takes, written canonical; false for others. */
    private boolean instant(String s) {
        int end = Canonical.instantTextEnd(s);
        if (end < 0) {
            return false;
        }
        room(end + 5);
        byte[] b = bytes;
        int at = length;
        b[at++] = '"';
        for (int i = 0; i < end; i++) {
            b[at++] = (byte) (i == 10 ? ' ' : s.charAt(i)); // ASCII digits and separators: checked
        }
        b[at++] = '+';
        b[at++] = '0';
        b[at++] = '0';
        b[at++] = '"';
        length = at;
        return true;
    }

    private void integer(long v) {
        if (v == Long.MIN_VALUE) {
            general(v, LogicalType.INTEGER);
            return;
        }
        room(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
    }

    /** A JSON string: quotes, Canonical's escapes, UTF-8 (an unpaired surrogate as '?', as getBytes writes it). */
    private void string(String s) {
        int n = s.length();
        room(6 * n + 2); // the longest escape, \\u00XX, is six bytes for one char
        byte[] b = bytes;
        int at = length;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[at++] = (byte) c;
                    continue;
                }
                b[at++] = '\\';
                switch (c) {
                    case '"' -> b[at++] = '"';
                    case '\\' -> b[at++] = '\\';
                    case '\n' -> b[at++] = 'n';
                    case '\r' -> b[at++] = 'r';
                    case '\t' -> b[at++] = 't';
                    case '\b' -> b[at++] = 'b';
                    case '\f' -> b[at++] = 'f';
                    default -> {
                        b[at++] = 'u';
                        b[at++] = '0';
                        b[at++] = '0';
                        b[at++] = HEX[c >> 4];
                        b[at++] = HEX[c & 0xF];
                    }
                }
            } else {
                int from = at;
                at = Utf8.put(s, i, b, at);
                if (at - from == 4) {
                    i++; // a surrogate pair: two chars, one character
                }
            }
        }
        b[at++] = '"';
        length = at;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
