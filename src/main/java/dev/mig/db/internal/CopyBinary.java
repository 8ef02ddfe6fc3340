package dev.mig.db.internal;

import dev.mig.db.BinaryRow;
import dev.mig.db.Column;
import dev.mig.db.PgBinaryTime;
import dev.mig.data.Utf8;
import dev.mig.data.Vector;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Rows in PostgreSQL's binary COPY format, for a table whose every column has a binary form here: uuid,
 * pgvector's vector (int16 dims, int16 0, float4s big-endian - what vector_recv reads), jsonb (version 1 +
 * text), json, text, varchar, bytea, integer/bigint/smallint, boolean, timestamp(tz). Where it pays: a vector
 * of 1,536 floats is 6 KB here and ~15 KB of decimal text that PostgreSQL would parse float by float; a
 * timestamp is 8 bytes PostgreSQL need not parse. Exact: the float bits go as they are; a value whose
 * binary form could differ from what PostgreSQL makes of its text (a naive time, a string in an integer
 * column) is refused here, and its batch goes as text.
 */
public final class CopyBinary extends CopyBuffer implements BinaryRow {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    /** True when every column can be written in binary (else COPY text is used). */
    static boolean supports(List<Column> columns) {
        for (Column c : columns) {
            if (kind(c) == null) {
                return false;
            }
        }
        return true;
    }

    public static String kind(Column c) {
        String t = c.declaredType().toLowerCase(Locale.ROOT);
        switch (t) {
            case "uuid", "jsonb", "json", "text", "bytea", "integer", "bigint", "smallint", "boolean" -> {
                return t;
            }
            default -> {
            }
        }
        if (t.startsWith("timestamp")) { // timestamp[(p)] with / without time zone
            return t.endsWith("with time zone") && !t.endsWith("without time zone") ? "timestamptz" : "timestamp";
        }
        if (t.startsWith("character varying") || t.startsWith("varchar")) {
            return "text";
        }
        if (t.equals("vector") || t.startsWith("vector(")) {
            return "vector";
        }
        return null;
    }

    private List<Column> kindsOf;
    private String[] kinds;

    private String[] kinds(List<Column> columns) {
        if (columns != kindsOf) {
            kinds = columns.stream().map(CopyBinary::kind).toArray(String[]::new);
            kindsOf = columns;
        }
        return kinds;
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
            String[] kinds = kinds(columns);
            for (int k = 0; k < kinds.length; k++) {
                Column c = columns.get(k);
                Object v = row.get(c.name());
                if (v == null) {
                    putInt(-1);
                    continue;
                }
                switch (kinds[k]) {
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
                        vec.bigEndianInto(bytes, length);
                        length += 4 * dims;
                    }
                    case "jsonb" -> {
                        putText(Postgres.text(v, c), true); // after jsonb's binary format version, 1
                    }
                    case "integer", "bigint", "smallint" -> {
                        if (!putInteger(kinds[k], integral(v))) {
                            throw new IllegalArgumentException("out of range"); // the text path gets PostgreSQL's own message
                        }
                    }
                    case "boolean" -> {
                        if (!(v instanceof Boolean b)) {
                            throw new IllegalArgumentException("not a boolean");
                        }
                        putInt(1);
                        room(1);
                        bytes[length++] = (byte) (b ? 1 : 0);
                    }
                    case "timestamptz", "timestamp" -> {
                        long micros = PgBinaryTime.micros(v, kinds[k].equals("timestamptz"));
                        putInt(8);
                        putLong(micros);
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
                        putText(text, false);
                    }
                }
            }
        } catch (RuntimeException e) {
            length = start;
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The start of a row a {@link BinaryRow} caller writes column by column. */
    void startRow(int columns) {
        putShort(columns);
    }

    @Override
    public void putNull() {
        putInt(-1);
    }

    @Override
    public boolean putText(String text) {
        if (text.indexOf('\0') >= 0) {
            return false;
        }
        putText(text, false);
        return true;
    }

    @Override
    public boolean putUpperAscii(String text) {
        int n = text.length();
        room(4 + n);
        int at = length + 4;
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch == 0 || ch >= 0x80) {
                return false; // the caller drops the row's bytes
            }
            bytes[at++] = (byte) (ch >= 'a' && ch <= 'z' ? ch - ('a' - 'A') : ch);
        }
        putInt(n);
        length += n;
        return true;
    }

    @Override
    public boolean putTime(long epochSecond, int nanos) {
        if (!PgBinaryTime.exact(epochSecond, nanos)) {
            return false;
        }
        putInt(8);
        putLong(PgBinaryTime.of(epochSecond, nanos));
        return true;
    }

    @Override
    public boolean putInteger(String kind, long value) {
        switch (kind) {
            case "integer" -> {
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    return false;
                }
                putInt(4);
                putInt((int) value);
            }
            case "bigint" -> {
                putInt(8);
                putLong(value);
            }
            case "smallint" -> {
                if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                    return false;
                }
                putInt(2);
                putShort((int) value);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Integers only as integers: anything else (text, a fraction) goes as text, where PostgreSQL decides. */
    private static long integral(Object v) {
        if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
            throw new IllegalArgumentException("not an integer");
        }
        return ((Number) v).longValue();
    }

    /** Length, then the text's UTF-8 (the bytes String.getBytes writes), straight into the buffer. */
    private void putText(String text, boolean jsonbVersion) {
        int n = text.length();
        room(5 + 3 * n);
        int at = length + 4;
        if (jsonbVersion) {
            bytes[at++] = 1;
        }
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                bytes[at++] = (byte) ch;
            } else {
                int next = Utf8.put(text, i, bytes, at);
                if (next - at == 4) {
                    i++; // the low surrogate of the pair just written
                }
                at = next;
            }
        }
        int size = at - length - 4;
        bytes[length] = (byte) (size >>> 24);
        bytes[length + 1] = (byte) (size >>> 16);
        bytes[length + 2] = (byte) (size >>> 8);
        bytes[length + 3] = (byte) size;
        length = at;
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
}
