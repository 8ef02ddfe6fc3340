package dev.mig.cli;

import dev.mig.MigException;
import dev.mig.check.Linter;
import dev.mig.plan.MarkdownPlan;
import dev.mig.plan.Planner;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.Scripts;
import dev.mig.run.DueNow;
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

    /** A script's place against the baseline: unchanged (null), or a note, a summary line and whether it is an error. */
    private record Change(String note, String summary, boolean edited) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean markdown = format == Format.MARKDOWN;
        Baseline baseline = since == null ? null : Baseline.of(since);
        int status = 0;
        List<String> unchanged = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Path path : Scripts.expand(files)) {
            String text = Scripts.read(path);
            Change change = baseline == null ? new Change(null, null, false) : change(baseline, path, text, markdown, err);
            if (change == null) {
                unchanged.add(path.toString());
                continue;
            }
            if (change.summary() != null) {
                summary.add(change.summary());
            }
            status = change.edited() ? 1 : status;
            ParseResult parsed = Syntax.parse(path.toString(), text);
            List<Diagnostic> problems = Linter.check(parsed);
            if (problems.stream().anyMatch(Diagnostic::isError)) {
                problems.stream().filter(Diagnostic::isError).forEach(d -> err.println(d.headline()));
                status = 1;
                continue;
            }
            List<String> dueNow = due ? DueNow.report(path.toString(), text, new RunOptions(false,
                    System.getenv(), Path.of("").toAbsolutePath(), line -> { })) : List.of();
            section(body, parsed, change.note(), dueNow, problems, markdown);
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

    /** How a script differs from the baseline; null when it does not. An edited migration is reported on err. */
    private static Change change(Baseline baseline, Path path, String text, boolean markdown, PrintWriter err) {
        String before = baseline.text(path);
        if (text.equals(before)) {
            return null;
        }
        if (before == null) {
            return new Change("New since " + baseline.name() + ".", path + ": new", false);
        }
        Stmt.Migration was = Syntax.parse(path.toString(), before).script().header().orElse(null);
        if (was == null) {
            return new Change("Changed since " + baseline.name() + ".", path + ": changed", false);
        }
        String message = path + ": migration " + was.version() + " existed at " + baseline.name()
                + " and was edited: an applied migration must not change (mig run refuses it); put the "
                + "change in a new migration with a higher version";
        err.println(markdown ? message : "error: " + message);
        return new Change("**Edited** migration " + was.version() + " that existed at " + baseline.name()
                + ": an applied migration must not change.", path + ": EDITED migration " + was.version(), true);
    }

    /** One script's plan, in Markdown or text, with what is due now and the lint notes. */
    private static void section(StringBuilder body, ParseResult parsed, String note, List<String> dueNow, List<Diagnostic> problems,
                                boolean markdown) {
        if (markdown) {
            body.append('\n').append(MarkdownPlan.section(parsed.script(), note));
            if (!dueNow.isEmpty()) {
                body.append("\n**Due now** (read from the databases):\n\n");
                dueNow.forEach(line -> body.append("- ").append(line).append('\n'));
            }
            return;
        }
        if (body.length() > 0) {
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
}
