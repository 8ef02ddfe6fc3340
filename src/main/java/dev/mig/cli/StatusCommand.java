package dev.mig.cli;

import dev.mig.Output;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.Scripts;
import dev.mig.run.MigrationStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "List versioned scripts as applied, pending, failed or changed.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scripts, or directories of .mig files")
    List<Path> files;

    @Override
    public Integer call() {
        Output output = Output.of(spec.commandLine().getOut());
        return MigrationStatus.print(Scripts.read(files), RunOptions.defaults(output));
    }
}
