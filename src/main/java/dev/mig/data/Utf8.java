package dev.mig.data;

/**
 * UTF-8 of the characters above ASCII, for the encoders that escape and encode text in one pass
 * into a buffer of their own (COPY text, canonical row text): the bytes String.getBytes(UTF_8)
 * writes, an unpaired surrogate as '?'.
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * Writes the char at index i of s (0x80 or above) at b[at]; returns the index after its bytes. Four
     * bytes, and only then, when it and the next char are a surrogate pair: the caller skips that one.
     */
    public static int put(String s, int i, byte[] b, int at) {
        char c = s.charAt(i);
        if (c < 0x800) {
            b[at++] = (byte) (0xC0 | c >> 6);
            b[at++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isSurrogate(c)) {
            if (pairAt(s, i)) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                b[at++] = (byte) (0xF0 | cp >> 18);
                b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[at++] = (byte) (0x80 | cp & 0x3F);
            } else {
                b[at++] = '?'; // what String.getBytes(UTF_8) writes for an unpaired surrogate
            }
        } else {
            b[at++] = (byte) (0xE0 | c >> 12);
            b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
            b[at++] = (byte) (0x80 | c & 0x3F);
        }
        return at;
    }

    private static boolean pairAt(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
