package dev.mig.db;

import dev.mig.data.LogicalType;

/** A column as the database declares it; {@code pkPosition} is 1-based, 0 when not in the primary key. */
public record Column(String name, String declaredType, LogicalType type, int pkPosition, boolean notNull) {
}
