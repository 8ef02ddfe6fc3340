package dev.mig.cli;

import dev.mig.MigException;
import dev.mig.refs.Scanner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "refs", description = "Find what a finished mem0 migration made obsolete in application code (Python, "
        + "TypeScript/JavaScript, SQL, requirements and package manifests): G0/G1 history columns, orphan tables, TS v2 "
        + "payload keys, Pacific or epoch time SQL, pinned old releases. Exit 1 when something is found (docs/refs.md).")
final class RefsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "directories (or files) of application code")
    List<Path> roots;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), github, sarif, json")
    DiagnosticFormat format;

    @Option(names = "--source", negatable = true, description = "show the source line and a caret (default: on a terminal)")
    Boolean source;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DiagnosticFormat chosen = format;
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new MigException("no such directory or file: " + root);
            }
        }
        List<DiagnosticFormat.FileReport> reports = new ArrayList<>();
        int found = 0;
        for (Scanner.FileResult r : Scanner.scan(roots)) {
            if (r.unreadable() != null) {
                spec.commandLine().getErr().println("mig refs: cannot read " + r.file() + ": " + r.unreadable() + " (skipped)");
                continue;
            }
            if (!r.findings().isEmpty()) {
                reports.add(new DiagnosticFormat.FileReport(r.file().toString(), r.text(), r.text(), r.findings()));
                found += r.findings().size();
            }
        }
        boolean showSource = source != null ? source : System.console() != null;
        chosen.write(out, reports, showSource, () -> new Main.Version().version(), RuleSet.REFS);
        if (chosen == DiagnosticFormat.TEXT && found == 0) {
            out.println("nothing found");
        }
        out.flush();
        spec.commandLine().getErr().flush();
        return found > 0 ? 1 : 0;
    }
}
