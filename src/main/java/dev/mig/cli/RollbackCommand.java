package dev.mig.cli;

import dev.mig.Output;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.resolve.Scripts;
import dev.mig.run.RollbackRunner;
import dev.mig.run.ScriptRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollback", description = "Restore what a version's backups cover, re-apply the writes queued since, "
        + "and mark the version pending.")
final class RollbackCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VERSION", description = "the migration version to roll back")
    String version;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "scripts, or directories of .mig files")
    List<Path> files;

    @Override
    public Integer call() {
        Output output = Output.of(spec.commandLine().getOut());
        List<ScriptSource> sources = Scripts.read(files);
        return RollbackRunner.run(version, sources, RunOptions.defaults(output)) ? 0 : 1;
    }
}
