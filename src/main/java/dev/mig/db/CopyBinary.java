package dev.mig.db;

import dev.mig.data.Vector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Rows in PostgreSQL's binary COPY format, for a table whose every column has a binary form here: uuid,
 * pgvector's vector (int16 dims, int16 0, float4s big-endian - what vector_recv reads), jsonb (version 1 +
 * text), json, text, varchar, bytea. Where it pays: a vector of 1,536 floats is 6 KB here and ~15 KB of
 * decimal text that PostgreSQL would parse float by float. Exact: the float bits go as they are.
 */
final class CopyBinary {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private byte[] bytes = new byte[1 << 16];
    private int length;

    /** True when every column can be written in binary (else COPY text is used). */
    static boolean supports(List<Column> columns) {
        for (Column c : columns) {
            if (kind(c) == null) {
                return false;
            }
        }
        return true;
    }

    private static String kind(Column c) {
        String t = c.declaredType().toLowerCase(Locale.ROOT);
        if (t.equals("uuid") || t.equals("jsonb") || t.equals("json") || t.equals("text") || t.equals("bytea")) {
            return t;
        }
        if (t.startsWith("character varying") || t.startsWith("varchar")) {
            return "text";
        }
        if (t.equals("vector") || t.startsWith("vector(")) {
            return "vector";
        }
        return null;
    }

    void clear() {
        length = 0;
        if (bytes.length > 1 << 24) {
            bytes = new byte[1 << 16];
        }
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    void header() {
        room(HEADER.length);
        System.arraycopy(HEADER, 0, bytes, length, HEADER.length);
        length += HEADER.length;
    }

    void trailer() {
        putShort(-1);
    }

    void truncate(int at) {
        length = at;
    }

    /** One row; throws IllegalArgumentException for a value that has no binary form here (the caller falls back to text). */
    void row(Map<String, Object> row, List<Column> columns) {
        int start = length;
        try {
            putShort(columns.size());
            for (Column c : columns) {
                Object v = row.get(c.name());
                if (v == null) {
                    putInt(-1);
                    continue;
                }
                switch (kind(c)) {
                    case "uuid" -> {
                        UUID u = v instanceof UUID x ? x : UUID.fromString(Postgres.text(v, c));
                        putInt(16);
                        putLong(u.getMostSignificantBits());
                        putLong(u.getLeastSignificantBits());
                    }
                    case "vector" -> {
                        Vector vec = Vector.of(v);
                        int dims = vec.dims();
                        putInt(4 + 4 * dims);
                        putShort(dims);
                        putShort(0);
                        room(4 * dims);
                        for (int i = 0; i < dims; i++) {
                            int bits = Float.floatToRawIntBits(vec.at(i));
                            bytes[length++] = (byte) (bits >>> 24);
                            bytes[length++] = (byte) (bits >>> 16);
                            bytes[length++] = (byte) (bits >>> 8);
                            bytes[length++] = (byte) bits;
                        }
                    }
                    case "jsonb" -> {
                        byte[] text = Postgres.text(v, c).getBytes(StandardCharsets.UTF_8);
                        putInt(text.length + 1);
                        room(1);
                        bytes[length++] = 1; // jsonb's binary format version
                        putBytes(text);
                    }
                    case "bytea" -> {
                        if (!(v instanceof byte[] b)) {
                            throw new IllegalArgumentException("not bytes");
                        }
                        putInt(b.length);
                        putBytes(b);
                    }
                    default -> { // text, varchar, json
                        String text = Postgres.text(v, c);
                        if (text.indexOf('\0') >= 0) {
                            throw new IllegalArgumentException("a NUL character"); // refused by PostgreSQL; the text path says why
                        }
                        byte[] b = text.getBytes(StandardCharsets.UTF_8);
                        putInt(b.length);
                        putBytes(b);
                    }
                }
            }
        } catch (RuntimeException e) {
            length = start;
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void putShort(int v) {
        room(2);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
    }

    private void putInt(int v) {
        room(4);
        bytes[length++] = (byte) (v >>> 24);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void putBytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
