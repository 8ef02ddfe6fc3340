package dev.mig.cli;

import dev.mig.Output;
import dev.mig.mem0.Inspector;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", description = "Tell what a mem0 store is (generation, SDK), every hazard found in it with counts, "
        + "and which pack scripts to run with which variables. Opens every store readonly; writes nothing.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "URL", description = "JDBC URLs: jdbc:sqlite:/path/history.db, jdbc:postgresql://...")
    List<String> urls;

    @Override
    public Integer call() {
        new Inspector(Output.of(spec.commandLine().getOut())).inspect(urls);
        return 0;
    }
}
