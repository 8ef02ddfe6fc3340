package dev.mig.syntax;

import java.util.List;
import java.util.Set;

/**
 * The outcome of parsing: the statements that parsed cleanly, the syntax errors, whether the
 * input merely stopped early ({@code incomplete}: inside a block, string or expression, as the
 * REPL needs to know), and connection names declared by statements too broken to keep.
 */
public record ParseResult(Script script, List<Diagnostic> errors, boolean incomplete, Set<String> brokenConnects) {
    public ParseResult {
        errors = List.copyOf(errors);
        brokenConnects = Set.copyOf(brokenConnects);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
