package dev.mig.resolve;

import dev.mig.MigException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves {@code ${NAME}} and {@code ${NAME:-default}} in strings; {@code $${...}} stays literal. */
public final class Env {
    private static final Pattern VARIABLE = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Map<String, String> variables;

    public Env(Map<String, String> variables) {
        this.variables = variables;
    }

    public String resolve(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().startsWith("$$")) {
                replacement = m.group().substring(1);
            } else {
                String value = variables.get(m.group(1));
                if (value == null || value.isEmpty() && m.group(2) != null) {
                    if (m.group(2) == null) {
                        throw new MigException("environment variable " + m.group(1) + " is not set (write ${"
                                + m.group(1) + ":-default} for a default)");
                    }
                    value = m.group(3);
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
