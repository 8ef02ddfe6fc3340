package dev.mig.data;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The functions of the language: the one list. The evaluator ({@link Builtins}) and the SQL translator switch
 * over this enum without a default, so a function added here does not compile until both compute it or the
 * translator says it declines; SQLite's registered functions and the map's fast paths run the evaluator's
 * code ({@link #apply(Object)}, {@code Evaluator.apply}), not a copy of it.
 */
public enum Builtin {
    COALESCE(1, -1, Reads.ROW, false, "coalesce(a, b, ...)", "the first argument that is not null"),
    LOWER(1, 1, Reads.ROW, true, "lower(text)", "text in lower case"),
    UPPER(1, 1, Reads.ROW, true, "upper(text)", "text in upper case"),
    TRIM(1, 1, Reads.ROW, true, "trim(text)", "text without leading and trailing white space"),
    REPLACE(3, 3, Reads.ROW, true, "replace(text, from, to)", "every occurrence of from replaced by to"),
    CONCAT(1, -1, Reads.ROW, false, "concat(a, b, ...)", "the arguments as text, joined; nulls count as empty"),
    LENGTH(1, 1, Reads.ROW, true, "length(text)", "number of characters"),
    MD5(1, 1, Reads.ROW, true, "md5(text)", "md5 hex digest of the UTF-8 text (mem0's payload hash)"),
    SHA256(1, 1, Reads.ROW, true, "sha256(text)", "sha256 hex digest of the UTF-8 text"),
    UUID(0, 1, Reads.ROW, false, "uuid([text])", "a random UUID, or the name-based UUID of text"),
    NOW(0, 0, Reads.ROW, false, "now()", "the time the statement started, UTC ISO-8601"),
    JSON(1, 1, Reads.ROW, true, "json(text)", "text parsed as JSON (a bad text rejects the row)"),
    UTC(1, 1, Reads.ROW, true, "utc(time)", "any mem0 timestamp (epoch, ISO with offset, naive) as ISO-8601 UTC"),
    COUNT(1, 1, Reads.TABLES, false, "count(conn.table [where cond])", "rows of a table (in assert)"),
    AGE_DAYS(1, 1, Reads.ROW, true, "age_days(time)", "days from a timestamp (any form utc() reads; a YYYY-MM-DD date is "
            + "its midnight UTC) to the statement's start, with a fraction; null when the time is null"),
    FIRST_SEEN_DAYS(0, 0, Reads.TABLES, false, "first_seen_days()", "days since mig first saw this row (by its key) in an "
            + "archive ... where of its table: 0 the first time (the age of a row that carries no time of its own, such as "
            + "mem0's undated DELETE events)"),
    ANY(1, 1, Reads.GROUP, false, "any(cond)", "in archive ... by col where: the condition holds for some row of the group"),
    EVERY(1, 1, Reads.GROUP, false, "every(cond)", "in archive ... by col where: the condition holds for every row of the group"),
    MAX(1, 1, Reads.GROUP, false, "max(value)", "in archive ... by col where: the largest value over the group's rows (nulls skipped)"),
    MIN(1, 1, Reads.GROUP, false, "min(value)", "in archive ... by col where: the smallest value over the group's rows (nulls skipped)"),
    VECTOR(1, 2, Reads.ROW, true, "vector(value [, dims])", "an embedding from float32 bytes (the TS local store), pgvector "
            + "text [1,2,3] or a JSON array, exactly; with dims, a vector of another size rejects the row"),
    REQUIRED(2, 2, Reads.ROW, false, "required(value, reason)", "the value; when it is null, the row is rejected with the "
            + "reason (required(vector, 'no vector in the index'))"),
    DIMS(1, 1, Reads.ROW, true, "dims(vector)", "the number of values of an embedding"),
    FLOAT32(1, 1, Reads.ROW, true, "float32(vector)", "an embedding as little-endian float32 bytes (the TS local store's form)"),
    UNPICKLE(1, -1, Reads.ROW, true, "unpickle(pickle [, field, ...])", "a Python pickle (bytes, or base64 text as "
            + "qdrant-client keys its points) as a value, read without running anything: only the classes of a Qdrant point "
            + "are allowed; with fields, that field of it (unpickle(point, 'payload')); any other pickle rejects the row with "
            + "the reason");

    /** What a function reads beside its arguments. */
    public enum Reads {
        /** Only its arguments' values (and the statement's start). */
        ROW,
        /** Tables of a connection (count) or mig's own records of rows (first_seen_days): in assert and policies only. */
        TABLES,
        /** The rows of a group, in {@code archive ... by col where} only. */
        GROUP
    }

    private static final Map<String, Builtin> BY_NAME = new HashMap<>();

    static {
        for (Builtin b : values()) {
            BY_NAME.put(b.id, b);
        }
    }

    private final String id;
    private final int minArgs;
    private final int maxArgs;
    private final Reads reads;
    private final boolean nullOnNull;
    private final String signature;
    private final String help;

    Builtin(int minArgs, int maxArgs, Reads reads, boolean nullOnNull, String signature, String help) {
        this.id = name().toLowerCase(Locale.ROOT);
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.reads = reads;
        this.nullOnNull = nullOnNull;
        this.signature = signature;
        this.help = help;
    }

    /** The function a script names (in any case), or null when the language has none of that name. */
    public static Builtin of(String name) {
        Builtin b = BY_NAME.get(name);
        return b != null ? b : BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** The name scripts call it by. */
    public String id() {
        return id;
    }

    public int minArgs() {
        return minArgs;
    }

    public boolean accepts(int count) {
        return count >= minArgs && (maxArgs < 0 || count <= maxArgs);
    }

    public Reads reads() {
        return reads;
    }

    /** Whether a null first argument gives null (the rest are not evaluated for it). */
    public boolean nullOnNull() {
        return nullOnNull;
    }

    public String signature() {
        return signature;
    }

    public String help() {
        return help;
    }

    /** The function of one argument value (for functions that do not read the statement's start). */
    public Object apply(Object arg) {
        return Builtins.apply(this, Collections.singletonList(arg), Instant.EPOCH);
    }
}
