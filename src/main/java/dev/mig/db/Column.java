package dev.mig.db;

import dev.mig.data.LogicalType;
import java.util.Locale;

/**
 * A column as the database declares it; {@code pkPosition} is 1-based, 0 when not in the primary
 * key. {@code codePointOrder}: the database sorts this column's text in code point order already
 * (a "C" collation), so ordering by it needs no COLLATE and can use its index.
 */
public record Column(String name, String declaredType, LogicalType type, int pkPosition, boolean notNull,
                     boolean codePointOrder) {
    public Column {
        name = name.intern(); // rows look columns up by name: one instance per name makes that an identity check
    }

    public Column(String name, String declaredType, LogicalType type, int pkPosition, boolean notNull) {
        this(name, declaredType, type, pkPosition, notNull, false);
    }

    /**
     * The type to CAST a value to on its way into this column: the type itself, but
     * without the length of a varchar(n), char(n) or bit(n). An explicit CAST to varchar(5) cuts longer text
     * to 5 characters without a word (PostgreSQL's rule for explicit casts); the column's own assignment
     * cast then refuses it ("value too long for type character varying(5)"), as COPY does.
     */
    public String castType() {
        String declared = declaredType;
        String lower = declared.toLowerCase(Locale.ROOT);
        int open = lower.indexOf('(');
        int close = lower.indexOf(')', open + 1);
        if (open < 0 || close < 0) {
            return declared;
        }
        String base = lower.substring(0, open).trim();
        String rest = lower.substring(close + 1); // " with time zone", "[]"
        return switch (base) {
            case "character varying", "varchar" -> "character varying" + rest;
            case "character", "char" -> "bpchar" + rest; // plain "character" would be char(1)
            case "bit varying", "varbit", "bit" -> "bit varying" + rest;
            default -> declared;
        };
    }
}
