package dev.mig.cli;

import dev.mig.Output;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.resolve.Scripts;
import dev.mig.run.ScriptRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Apply pending versioned scripts in version order (exit 1 on failure, 3 if an "
        + "applied script changed).")
final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scripts, or directories of .mig files")
    List<Path> files;

    @Option(names = "--dry-run", description = "do all the work, commit nothing (PostgreSQL: rolled back; SQLite: a copy)")
    boolean dryRun;

    @Override
    public Integer call() {
        Output output = Output.of(spec.commandLine().getOut());
        List<ScriptSource> sources = Scripts.read(files);
        RunOptions options = RunOptions.defaults(output).dry(dryRun);
        List<ScriptRunner.Outcome> outcomes = new ScriptRunner(options).run(sources);
        if (outcomes.contains(ScriptRunner.Outcome.REFUSED)) {
            return 3;
        }
        boolean ok = outcomes.stream().allMatch(o -> o == ScriptRunner.Outcome.APPLIED || o == ScriptRunner.Outcome.SKIPPED);
        return ok ? 0 : 1;
    }
}
