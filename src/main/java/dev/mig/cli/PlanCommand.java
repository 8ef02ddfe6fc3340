package dev.mig.cli;

import dev.mig.check.Linter;
import dev.mig.plan.Planner;
import dev.mig.run.Scripts;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Syntax;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = "Print what a script will do, step by step, for review (deterministic).")
final class PlanCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scripts, or directories of .mig files")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        boolean first = true;
        for (Path path : Scripts.expand(files)) {
            String text = Scripts.read(path);
            ParseResult parsed = Syntax.parse(path.toString(), text);
            List<Diagnostic> problems = Linter.check(parsed);
            if (problems.stream().anyMatch(Diagnostic::isError)) {
                problems.stream().filter(Diagnostic::isError).forEach(d -> err.println(d.headline()));
                status = 1;
                continue;
            }
            if (!first) {
                out.println();
            }
            first = false;
            out.print(Planner.plan(parsed.script()));
            for (Diagnostic d : problems) {
                out.println("note: " + d.headline());
            }
        }
        out.flush();
        err.flush();
        return status;
    }
}
