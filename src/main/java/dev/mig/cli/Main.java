package dev.mig.cli;

import dev.mig.MigException;
import dev.mig.db.JdbcUrls;
import dev.mig.run.ScriptRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The mig command line. Each subcommand is a small class of this package. */
@Command(name = "mig", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "A migration language for legacy mem0 memory data.")
public final class Main implements Runnable {
    /**
     * The subcommands, made only when needed: picocli reads a command's annotations when it is added, and
     * reading all thirteen took 130 ms of a 230 ms `mig check` (docs/benchmarks.md); a command line that names
     * one gets that one. --help, completion and the man pages get them all ({@link #full()}). A holder, so
     * that the quick start ({@link QuickStart}) touches no picocli class: one read from the jar costs 10 ms.
     */
    private static final class Commands {
        static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

        static {
            ALL.put("check", CheckCommand::new);
            ALL.put("plan", PlanCommand::new);
            ALL.put("fmt", FmtCommand::new);
            ALL.put("run", RunCommand::new);
            ALL.put("status", StatusCommand::new);
            ALL.put("rollback", RollbackCommand::new);
            ALL.put("demo", DemoCommand::new);
            ALL.put("inspect", InspectCommand::new);
            ALL.put("watch", WatchCommand::new);
            ALL.put("refs", RefsCommand::new);
            ALL.put("report", ReportCommand::new);
            ALL.put("repl", ReplCommand::new);
            ALL.put("help", CommandLine.HelpCommand::new);
        }

        static final Pattern CHOICE = Pattern.compile(
                "Invalid value for option '--([\\w-]+)': expected one of \\[([^\\]]+)\\] \\(case-insensitive\\) but was '(.*)'");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Every command: for --help, shell completion and the man pages. */
    public static CommandLine full() {
        return commandLine(null);
    }

    /** The command line with the subcommand {@code first} names (or none for --version), else all of them. */
    static CommandLine commandLine(String first) {
        CommandLine cli = new CommandLine(new Main());
        boolean one = first != null && Commands.ALL.containsKey(first) && !first.equals("help");
        boolean none = "--version".equals(first) || "-V".equals(first);
        for (Map.Entry<String, Supplier<Object>> c : Commands.ALL.entrySet()) {
            if (!none && (!one || c.getKey().equals(first))) {
                cli.addSubcommand(c.getKey(), c.getValue().get());
            }
        }
        return cli.setCaseInsensitiveEnumValuesAllowed(true); // after the subcommands: picocli sets it on those present
    }

    /** Runs mig with the given arguments and streams; returns the exit code. Tests call this. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Integer quick = QuickStart.run(args, out, err);
        return quick != null ? quick : executeFully(args, out, err);
    }

    /** Runs mig through picocli, whatever the command line (tests compare it with {@link QuickStart}). */
    static int executeFully(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(args.length == 0 ? null : args[0]);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            Matcher choice = Commands.CHOICE.matcher(e.getMessage());
            if (choice.matches()) { // an enum's values as the command line spells them, in one line
                List<String> values = List.of(choice.group(2).toLowerCase(Locale.ROOT).split(", "));
                e.getCommandLine().getErr().println("mig: unknown " + choice.group(1) + " '" + choice.group(3) + "' for "
                        + e.getCommandLine().getCommandName() + ": " + String.join(", ", values.subList(0, values.size() - 1))
                        + " or " + values.get(values.size() - 1));
                return 2;
            }
            CommandLine command = e.getCommandLine(); // as picocli reports it: the message, then suggestions or the usage
            command.getErr().println(e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr())) {
                command.usage(command.getErr());
            }
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine.getErr()));
        return cli.execute(args);
    }

    /** How a command's failure is told: mig's own errors in one line, a defect of mig's with its trace. */
    static int failed(Exception e, PrintWriter err) {
        if (e instanceof MigException) {
            err.println("mig: " + JdbcUrls.redactText(e.getMessage()));
            if (ScriptRunner.debugging(System.getenv())) {
                err.println(JdbcUrls.stackTrace(e, List.of()));
            }
            return 2;
        }
        // a defect of mig's: the trace is for a bug report, passwords masked like every other trace
        err.println("mig: internal error: " + JdbcUrls.redactText(String.valueOf(e)));
        err.println(JdbcUrls.stackTrace(e, List.of()));
        return 70;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** mig's version, the commit and time it was built from and at, and the Java runtime it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = properties();
            String commit = p.getProperty("commit", "");
            String built = p.getProperty("built", "");
            return new String[] {
                "mig " + version(),
                "commit " + (commit.isEmpty() || commit.startsWith("${") ? "unknown (built outside a git checkout)"
                        : commit + ("true".equals(p.getProperty("dirty")) ? " (with uncommitted changes)" : ""))
                        + ", built " + (built.startsWith("${") ? "unknown" : built),
                "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + "), runtime "
                        + System.getProperty("java.home") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }

        String version() {
            return properties().getProperty("version", "dev");
        }

        private static Properties properties() {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/dev/mig/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // no version file: "dev"
            }
            return properties;
        }
    }
}
