package dev.mig.syntax;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The type names of {@code as type}, with the aliases users write from SQL habit. */
public final class Types {
    public static final List<String> ALL = List.of("text", "int", "bigint", "float", "bool", "timestamp", "json", "uuid");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("string", "text"), Map.entry("varchar", "text"), Map.entry("integer", "int"),
            Map.entry("double", "float"), Map.entry("real", "float"), Map.entry("boolean", "bool"),
            Map.entry("jsonb", "json"), Map.entry("timestamptz", "timestamp"), Map.entry("datetime", "timestamp"));

    private Types() {
    }

    /** The canonical name for a written type name, or null if it is not a type. */
    public static String canonical(String written) {
        String lower = written.toLowerCase(Locale.ROOT);
        if (ALL.contains(lower)) {
            return lower;
        }
        return ALIASES.get(lower);
    }
}
