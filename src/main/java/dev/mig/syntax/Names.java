package dev.mig.syntax;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules for writing identifiers back out. */
public final class Names {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Words that are never names unless double-quoted. */
    public static final Set<String> RESERVED = Set.of(
            "as", "and", "or", "not", "is", "null", "true", "false", "in", "case", "when", "then", "else", "end");

    private Names() {
    }

    public static String quoteIfNeeded(String name) {
        if (PLAIN.matcher(name).matches() && !RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
