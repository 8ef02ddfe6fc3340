package dev.mig.cli;

import dev.mig.Output;
import dev.mig.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Generate legacy mem0 data in ./demo and run the shipped mem0 pack on it (SQLite).")
final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", defaultValue = "demo", description = "where the data goes (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--rows", defaultValue = "3000", description = "rows per legacy table (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the generated data (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        return Demo.run(dir, rows, seed, Output.of(spec.commandLine().getOut())) ? 0 : 1;
    }
}
