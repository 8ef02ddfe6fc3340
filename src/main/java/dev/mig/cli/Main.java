package dev.mig.cli;

import dev.mig.MigException;
import dev.mig.db.JdbcUrls;
import dev.mig.run.ScriptRunner;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The mig command line. Each subcommand is a small class of this package. */
@Command(name = "mig", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A migration language for legacy mem0 memory data.",
        subcommands = {CheckCommand.class, PlanCommand.class, FmtCommand.class, RunCommand.class, StatusCommand.class,
            RollbackCommand.class, DemoCommand.class, InspectCommand.class, WatchCommand.class, RefsCommand.class, ReportCommand.class, ReplCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs mig with the given arguments and streams; returns the exit code. Tests call this. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof MigException) {
                commandLine.getErr().println("mig: " + JdbcUrls.redactText(e.getMessage()));
                if (ScriptRunner.debugging(System.getenv())) {
                    commandLine.getErr().println(JdbcUrls.stackTrace(e, List.of()));
                }
                return 2;
            }
            // a defect of mig's: the trace is for a bug report, passwords masked like every other trace
            commandLine.getErr().println("mig: internal error: " + JdbcUrls.redactText(String.valueOf(e)));
            commandLine.getErr().println(JdbcUrls.stackTrace(e, List.of()));
            return 70;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mig " + version()};
        }

        String version() {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/dev/mig/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (java.io.IOException e) {
                return "dev";
            }
            return properties.getProperty("version", "dev");
        }
    }
}
