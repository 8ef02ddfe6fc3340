package dev.mig.data;

import java.util.Locale;

/** What a column holds, whatever the database calls it; decides canonical forms and conversions. */
public enum LogicalType {
    TEXT, INTEGER, FLOAT, BOOLEAN, TIMESTAMP, JSON, UUID, BINARY, VECTOR, OTHER;

    /** The logical type of a declared column type of PostgreSQL or SQLite. */
    public static LogicalType of(String declared) {
        if (declared == null || declared.isBlank()) {
            return OTHER;
        }
        String t = declared.toLowerCase(Locale.ROOT).trim();
        if (t.startsWith("vector")) {
            return VECTOR; // pgvector's vector(n): read and written as float32 values, exactly
        }
        if (t.startsWith("_") || t.endsWith("[]")) {
            return OTHER; // arrays pass through as written
        }
        if (t.contains("bool")) {
            return BOOLEAN;
        }
        if (t.contains("timestamp") || t.contains("datetime") || t.equals("date")) {
            return TIMESTAMP;
        }
        if (t.startsWith("json")) {
            return JSON;
        }
        if (t.equals("uuid")) {
            return UUID;
        }
        if (t.contains("int") || t.equals("serial") || t.equals("bigserial") || t.equals("smallserial")) {
            return INTEGER;
        }
        if (t.contains("real") || t.contains("floa") || t.contains("doub") || t.startsWith("numeric")
                || t.startsWith("decimal")) {
            return FLOAT;
        }
        if (t.contains("char") || t.contains("text") || t.contains("clob") || t.equals("name")) {
            return TEXT;
        }
        if (t.contains("blob") || t.equals("bytea")) {
            return BINARY;
        }
        return OTHER;
    }
}
