package dev.mig.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two command lines a CI job or an editor runs most, {@code mig --version} and {@code mig check FILE...}
 * with nothing but files, answered without building picocli's model: making it costs 50-75 ms of a 250 ms start
 * whatever the command (docs/benchmarks.md). Anything else - an option, {@code --}, an {@code @argfile}, no
 * file - goes through picocli; {@code CliTest} holds both ways to the same output and exit code.
 */
final class QuickStart {
    private QuickStart() {
    }

    /** The exit code when this command line is one of the two, else null (picocli handles it). */
    static Integer run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            for (String line : new Main.Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return 0;
        }
        if (args.length < 2 || !args[0].equals("check") || !onlyFiles(Arrays.asList(args).subList(1, args.length))) {
            return null;
        }
        CheckCommand check = new CheckCommand();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        check.files = files;
        try {
            return check.check(out);
        } catch (RuntimeException e) {
            return Main.failed(e, err);
        }
    }

    private static boolean onlyFiles(List<String> args) {
        for (String arg : args) {
            if (arg.isEmpty() || arg.startsWith("-") || arg.startsWith("@")) {
                return false;
            }
        }
        return true;
    }
}
