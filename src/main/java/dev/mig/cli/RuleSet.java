package dev.mig.cli;

import dev.mig.check.Rule;
import dev.mig.refs.RefRule;
import dev.mig.syntax.Diagnostic.Severity;
import java.util.Arrays;
import java.util.List;

/** The rules a command's findings are of (mig check's, mig refs'), for the formats that list them (SARIF). */
record RuleSet(List<Info> rules, String docsPage, String tool) {
    /** One rule: its stable id, level, a short and a full description, and how a reviewed finding is silenced. */
    record Info(String id, Severity severity, String title, String description, String silence) {
    }

    static final RuleSet CHECK = new RuleSet(Arrays.stream(Rule.values()).map(r -> new Info(r.id(), r.severity(), r.title(),
            r.description(), r.severity() == Severity.ERROR ? "An error cannot be silenced: the script would fail when it runs."
            : "Silence a reviewed finding with '-- mig:ignore " + r.id() + "' on the line before.")).toList(), "docs/rules.md",
            "mig check");

    static final RuleSet REFS = new RuleSet(Arrays.stream(RefRule.values()).map(r -> new Info(r.id(), Severity.WARNING, r.title(),
            r.description(), "Silence a reviewed finding with a comment 'mig:ignore " + r.id() + "' on the line before.")).toList(),
            "docs/refs.md", "mig refs");

    int index(String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(id)) {
                return i;
            }
        }
        return 0;
    }
}
