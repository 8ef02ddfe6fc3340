package dev.mig.cli;

import dev.mig.MigException;
import dev.mig.check.Linter;
import dev.mig.plan.MarkdownPlan;
import dev.mig.plan.Planner;
import dev.mig.resolve.Scripts;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = "Print what a script will do, step by step, for review (deterministic).")
final class PlanCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scripts, or directories of .mig files")
    List<Path> files;

    /** The forms of a plan. */
    enum Format {
        TEXT, MARKDOWN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or markdown (a pull-request comment)")
    Format format;

    @Option(names = "--since", paramLabel = "REV|DIR",
            description = "only scripts added or changed since a git revision (or compared with a directory); "
                    + "an edit to a migration that existed there is an error")
    String since;

    @Option(names = "--due",
            description = "also connect (read only) and say, for each retention policy (archive ... where), how many rows it would "
                    + "remove now; the script's variables come from the environment")
    boolean due;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean markdown = format == Format.MARKDOWN;
        Baseline baseline = since == null ? null : Baseline.of(since);
        int status = 0;
        boolean first = true;
        List<String> unchanged = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Path path : Scripts.expand(files)) {
            String text = Scripts.read(path);
            String note = null;
            if (baseline != null) {
                String before = baseline.text(path);
                if (text.equals(before)) {
                    unchanged.add(path.toString());
                    continue;
                }
                if (before == null) {
                    note = "New since " + baseline.name() + ".";
                    summary.add(path + ": new");
                } else {
                    Stmt.Migration was = Syntax.parse(path.toString(), before).script().header().orElse(null);
                    if (was != null) {
                        String message = path + ": migration " + was.version() + " existed at " + baseline.name()
                                + " and was edited: an applied migration must not change (mig run refuses it); put the "
                                + "change in a new migration with a higher version";
                        err.println(markdown ? message : "error: " + message);
                        note = "**Edited** migration " + was.version() + " that existed at " + baseline.name()
                                + ": an applied migration must not change.";
                        summary.add(path + ": EDITED migration " + was.version());
                        status = 1;
                    } else {
                        note = "Changed since " + baseline.name() + ".";
                        summary.add(path + ": changed");
                    }
                }
            }
            ParseResult parsed = Syntax.parse(path.toString(), text);
            List<Diagnostic> problems = Linter.check(parsed);
            if (problems.stream().anyMatch(Diagnostic::isError)) {
                problems.stream().filter(Diagnostic::isError).forEach(d -> err.println(d.headline()));
                status = 1;
                continue;
            }
            List<String> dueNow = due ? dev.mig.run.DueNow.report(path.toString(), text, new dev.mig.resolve.RunOptions(false,
                    System.getenv(), Path.of("").toAbsolutePath(), line -> { })) : List.of();
            if (markdown) {
                body.append('\n').append(MarkdownPlan.section(parsed.script(), note));
                if (!dueNow.isEmpty()) {
                    body.append("\n**Due now** (read from the databases):\n\n");
                    dueNow.forEach(line -> body.append("- ").append(line).append('\n'));
                }
            } else {
                if (!first) {
                    body.append('\n');
                }
                if (note != null) {
                    body.append(note.replace("**", "")).append('\n');
                }
                body.append(Planner.plan(parsed.script()));
                if (!dueNow.isEmpty()) {
                    body.append("\nDue now (read from the databases, nothing written):\n");
                    dueNow.forEach(line -> body.append("  ").append(line).append('\n'));
                }
                for (Diagnostic d : problems) {
                    body.append("note: ").append(d.headline()).append('\n');
                }
            }
            first = false;
        }
        if (markdown) {
            out.print("## mig plan" + (baseline == null ? "" : " (since " + baseline.name() + ")") + "\n");
        }
        if (baseline != null) {
            String head = summary.size() + " script" + (summary.size() == 1 ? "" : "s") + " added or changed since "
                    + baseline.name() + ", " + unchanged.size() + " unchanged";
            out.print((markdown ? "\n" + head + "\n" : head + "\n") + (summary.isEmpty() ? ""
                    : (markdown ? "\n" : "") + String.join("\n", summary.stream().map(s -> (markdown ? "- " : "  ") + s).toList()) + "\n"));
            if (!markdown && body.length() > 0) {
                out.print("\n");
            }
        }
        out.print(body);
        out.flush();
        err.flush();
        return status;
    }
}
