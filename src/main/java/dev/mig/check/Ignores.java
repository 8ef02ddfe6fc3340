package dev.mig.check;

import dev.mig.syntax.Diagnostic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -- mig:ignore RULE[, RULE...]}: a reviewed finding silenced where it stands, as linters such as
 * Squawk and sqlfluff allow. The comment names warnings of the next line (or of its own line, written
 * after a statement). Errors are never silenced: a script with one would fail when it runs.
 */
final class Ignores {
    private static final Pattern IGNORE = Pattern.compile("--\\s*mig:ignore\\s+([a-z0-9-]+(?:\\s*,\\s*[a-z0-9-]+)*)");

    private Ignores() {
    }

    static List<Diagnostic> apply(String source, List<Diagnostic> diagnostics) {
        if (source == null || !source.contains("mig:ignore")) {
            return diagnostics;
        }
        Map<Integer, Set<String>> byLine = new HashMap<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = IGNORE.matcher(lines[i]);
            if (m.find()) {
                Set<String> rules = new HashSet<>();
                for (String id : m.group(1).split(",")) {
                    rules.add(id.trim());
                }
                byLine.computeIfAbsent(i + 1, k -> new HashSet<>()).addAll(rules); // written after a statement
                byLine.computeIfAbsent(i + 2, k -> new HashSet<>()).addAll(rules); // the line after the comment
            }
        }
        List<Diagnostic> kept = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            Set<String> ignored = byLine.get(d.span().line());
            if (d.isError() || d.rule() == null || ignored == null || !ignored.contains(d.rule())) {
                kept.add(d);
            }
        }
        return kept;
    }
}
