package dev.mig.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/** Ordering of values: numbers numerically, booleans as 0/1, everything else by code points. */
public final class Compare {
    private Compare() {
    }

    /** Two keys (values in key column order) as the databases order rows by them: NULL first, then {@link #compare}. */
    public static int keys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x == null || y == null) {
                if (x != y) {
                    return x == null ? -1 : 1;
                }
                continue;
            }
            int c = compare(x, y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    public static int compare(Object a, Object b) {
        if (a instanceof JsonNode n && n.isValueNode()) {
            a = Values.fromJson(n);
        }
        if (b instanceof JsonNode n && n.isValueNode()) {
            b = Values.fromJson(n);
        }
        BigDecimal x = numeric(a);
        BigDecimal y = numeric(b);
        if (x != null && y != null && (isNumberLike(a) || isNumberLike(b))) {
            return x.compareTo(y);
        }
        String s = Values.text(a);
        String t = Values.text(b);
        return codePoints(s, t);
    }

    private static boolean isNumberLike(Object v) {
        return v instanceof Number || v instanceof Boolean;
    }

    private static BigDecimal numeric(Object v) {
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof Number) {
            return v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
        }
        if (v instanceof String s && looksNumeric(s)) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A cheap test before parsing: a throw per comparison of text keys was the checksum's hot spot. */
    static boolean looksNumeric(String s) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 40) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    /** Code point order: the order of UTF-8 bytes, as SQLite's BINARY and PostgreSQL's "C" collation sort. */
    public static int codePoints(String s, String t) {
        int i = 0;
        int j = 0;
        while (i < s.length() && j < t.length()) {
            int a = s.codePointAt(i);
            int b = t.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(s.length() - i, t.length() - j);
    }
}
