package dev.mig.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The functions of the language: names, how many arguments they take, and a line of help. */
public final class Functions {
    /** maxArgs -1: any number. */
    public record Info(String name, int minArgs, int maxArgs, String signature, String help) {
        public boolean accepts(int count) {
            return count >= minArgs && (maxArgs < 0 || count <= maxArgs);
        }
    }

    public static final Map<String, Info> ALL = new LinkedHashMap<>();

    static {
        add("coalesce", 1, -1, "coalesce(a, b, ...)", "the first argument that is not null");
        add("lower", 1, 1, "lower(text)", "text in lower case");
        add("upper", 1, 1, "upper(text)", "text in upper case");
        add("trim", 1, 1, "trim(text)", "text without leading and trailing white space");
        add("replace", 3, 3, "replace(text, from, to)", "every occurrence of from replaced by to");
        add("concat", 1, -1, "concat(a, b, ...)", "the arguments as text, joined; nulls count as empty");
        add("length", 1, 1, "length(text)", "number of characters");
        add("md5", 1, 1, "md5(text)", "md5 hex digest of the UTF-8 text (mem0's payload hash)");
        add("sha256", 1, 1, "sha256(text)", "sha256 hex digest of the UTF-8 text");
        add("uuid", 0, 1, "uuid([text])", "a random UUID, or the name-based UUID of text");
        add("now", 0, 0, "now()", "the time the statement started, UTC ISO-8601");
        add("json", 1, 1, "json(text)", "text parsed as JSON (a bad text rejects the row)");
        add("utc", 1, 1, "utc(time)", "any mem0 timestamp (epoch, ISO with offset, naive) as ISO-8601 UTC");
        add("count", 1, 1, "count(conn.table [where cond])", "rows of a table (in assert)");
        add("age_days", 1, 1, "age_days(time)", "days from a timestamp (any form utc() reads; a YYYY-MM-DD date is its midnight UTC) "
                + "to the statement's start, with a fraction; null when the time is null");
        add("first_seen_days", 0, 0, "first_seen_days()", "days since mig first saw this row (by its key) in an archive ... where "
                + "of its table: 0 the first time (the age of a row that carries no time of its own, such as mem0's undated DELETE events)");
        add("any", 1, 1, "any(cond)", "in archive ... by col where: the condition holds for some row of the group");
        add("every", 1, 1, "every(cond)", "in archive ... by col where: the condition holds for every row of the group");
        add("max", 1, 1, "max(value)", "in archive ... by col where: the largest value over the group's rows (nulls skipped)");
        add("min", 1, 1, "min(value)", "in archive ... by col where: the smallest value over the group's rows (nulls skipped)");
        add("vector", 1, 2, "vector(value [, dims])", "an embedding from float32 bytes (the TS local store), pgvector text "
                + "[1,2,3] or a JSON array, exactly; with dims, a vector of another size rejects the row");
        add("required", 2, 2, "required(value, reason)", "the value; when it is null, the row is rejected with the reason "
                + "(required(vector, 'no vector in the index'))");
        add("dims", 1, 1, "dims(vector)", "the number of values of an embedding");
        add("float32", 1, 1, "float32(vector)", "an embedding as little-endian float32 bytes (the TS local store's form)");
        add("unpickle", 1, -1, "unpickle(pickle [, field, ...])", "a Python pickle (bytes, or base64 text as qdrant-client keys "
                + "its points) as a value, read without running anything: only the classes of a Qdrant point are allowed; "
                + "with fields, that field of it (unpickle(point, 'payload')); any other pickle rejects the row with the reason");
    }

    /** Functions over a group of rows, allowed in {@code archive ... by col where} only. */
    public static final Set<String> AGGREGATES = Set.of("any", "every", "max", "min");

    private Functions() {
    }

    private static void add(String name, int min, int max, String signature, String help) {
        ALL.put(name, new Info(name, min, max, signature, help));
    }
}
