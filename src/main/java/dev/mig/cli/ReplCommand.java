package dev.mig.cli;

import dev.mig.Output;
import dev.mig.repl.Console;
import dev.mig.resolve.RunOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "repl", description = "The interactive session: statements run as you enter them; Tab completes, :help helps.")
final class ReplCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "FILE", description = "scripts to run first")
    List<Path> files = new ArrayList<>();

    @Option(names = "--history", description = "the history file (default: $MIG_HISTORY or ~/.mig_history)")
    Path history;

    @Override
    public Integer call() throws Exception {
        RunOptions options = RunOptions.defaults(Output.of(new PrintWriter(System.out, true)));
        if (System.console() == null) {
            Console.runPlain(System.in, System.out, options, files);
            return 0;
        }
        Path file = history != null ? history : System.getenv("MIG_HISTORY") != null ? Path.of(System.getenv("MIG_HISTORY"))
                : Path.of(System.getProperty("user.home"), ".mig_history");
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("mig").build()) {
            Console.run(terminal, options, file, files);
        }
        return 0;
    }
}
