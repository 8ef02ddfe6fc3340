package dev.mig.cli;

import dev.mig.check.Linter;
import dev.mig.db.JdbcUrls;
import dev.mig.run.Scripts;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Syntax;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", description = "Parse and lint scripts without a database; exit 1 on any error.")
final class CheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scripts, or directories of .mig files")
    List<Path> files;

    @Option(names = "--source", negatable = true,
            description = "show the source line and a caret under each problem (default: when output is a terminal)")
    Boolean source;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean showSource = source != null ? source : System.console() != null;
        int errors = 0;
        int warnings = 0;
        List<Path> paths = Scripts.expand(files);
        for (Path path : paths) {
            String text = Scripts.read(path);
            ParseResult parsed = Syntax.parse(path.toString(), text);
            for (Diagnostic d : Linter.check(parsed)) {
                out.println(showSource ? d.withSource(JdbcUrls.redactText(text)) : d.headline());
                if (d.isError()) {
                    errors++;
                } else {
                    warnings++;
                }
            }
        }
        if (showSource || errors + warnings > 0) {
            out.println(count(errors, "error") + ", " + count(warnings, "warning") + " in " + count(paths.size(), "file"));
        }
        out.flush();
        return errors > 0 ? 1 : 0;
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
