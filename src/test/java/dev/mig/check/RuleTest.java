package dev.mig.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.Syntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rule ids: unique, documented in docs/rules.md, on every finding; -- mig:ignore silences warnings only. */
class RuleTest {
    @Test
    void everyRuleIsDocumentedOnceWithItsId() throws Exception {
        String docs = Files.readString(Path.of("docs/rules.md"));
        Set<String> ids = new HashSet<>();
        for (Rule r : Rule.values()) {
            assertTrue(ids.add(r.id()), "unique: " + r.id());
            assertTrue(r.id().matches("[a-z][a-z0-9-]+"), r.id());
            assertTrue(docs.contains("\n### " + r.id() + "\n"), "docs/rules.md has a section for " + r.id());
            assertTrue(docs.contains("| [`" + r.id() + "`](#" + r.id() + ") | " + r.severity().label() + " | " + r.title() + " |"),
                    "docs/rules.md lists " + r.id());
            assertEquals(r, Rule.byId(r.id()));
        }
    }

    @Test
    void everyFindingHasARuleAndIgnoresSilenceOnlyWarnings() {
        String script = """
                migration 1 'x'
                connect a 'jdbc:sqlite:a.db'
                -- mig:ignore raw-sql
                sql a 'select 1'
                sql a 'select 2'
                sql a 'select 3' -- mig:ignore raw-sql, map-unchecked
                -- mig:ignore connection-unknown
                inventory nowhere
                purge a.t where x = 1
                """;
        List<Diagnostic> found = Linter.check(Syntax.parse("s.mig", script));
        for (Diagnostic d : found) {
            assertTrue(d.rule() != null && Rule.byId(d.rule()) != null, "a rule: " + d.headline());
            assertTrue(d.headline().endsWith(" [" + d.rule() + "]"), d.headline());
        }
        List<String> shown = found.stream().map(d -> d.span().line() + " " + d.rule()).toList();
        assertEquals(List.of("5 raw-sql", "8 connection-unknown", "9 destructive-unguarded"), shown);
        List<Diagnostic> syntax = Linter.check(Syntax.parse("bad.mig", "map a.t -> \n"));
        assertTrue(syntax.stream().allMatch(d -> "syntax".equals(d.rule())), syntax.toString());
    }
}
