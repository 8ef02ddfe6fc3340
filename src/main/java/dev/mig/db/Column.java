package dev.mig.db;

import dev.mig.data.LogicalType;

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
}
