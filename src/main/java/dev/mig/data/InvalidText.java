package dev.mig.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A text value whose bytes are not UTF-8 (SQLite stores whatever bytes a client gave it). Drivers
 * decode such text with U+FFFD in place of the bad bytes; mig keeps the bytes instead, so that nothing
 * is changed silently: a copy into SQLite writes the same bytes, a backup keeps them, a digest tells
 * them from any real text, and anything that needs the value as text (a target that holds only UTF-8,
 * a function) fails for that row with {@link #reason()}.
 */
public final class InvalidText {
    /** The key a backup line writes such a value under: {@code {"$not_utf8": "61ff62"}}. */
    public static final String JSON_KEY = "$not_utf8";
    private final byte[] bytes;

    public InvalidText(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** The value of text bytes: null when they are valid UTF-8 (then the decoded String is exact). */
    public static InvalidText ofInvalid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return null;
        } catch (CharacterCodingException e) {
            return new InvalidText(bytes);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Where the first bad byte is, for a reject's reason. */
    public String reason() {
        int at = firstInvalid();
        String shown = bytes.length <= 24 ? HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes)
                : HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes, 0, 24) + " ...";
        return "text that is not UTF-8 (bytes " + shown + "; byte " + (at + 1) + ", 0x"
                + HexFormat.of().withUpperCase().toHexDigits(bytes[at]) + ", is not valid there); mig does not replace "
                + "bytes";
    }

    private int firstInvalid() {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        return r.isError() ? in.position() : Math.max(0, bytes.length - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvalidText t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "not UTF-8: " + hex();
    }
}
