package dev.mig.syntax;

import java.util.List;
import java.util.Optional;

/** A parsed script: its file name, source text and statements in order. */
public record Script(String file, String source, List<Stmt> statements) {
    public Script {
        statements = List.copyOf(statements);
    }

    public Optional<Stmt.Migration> header() {
        return statements.stream()
                .filter(Stmt.Migration.class::isInstance)
                .map(Stmt.Migration.class::cast)
                .findFirst();
    }
}
