package dev.mig.cli;

import dev.mig.check.Linter;
import dev.mig.db.JdbcUrls;
import dev.mig.resolve.Scripts;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Syntax;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), github (Actions annotations), sarif (SARIF 2.1.0), json")
    DiagnosticFormat format = DiagnosticFormat.TEXT;

    @Override
    public Integer call() {
        return check(spec.commandLine().getOut());
    }

    /** Checks {@link #files} and writes the report to {@code out}: 1 when any has an error. */
    int check(PrintWriter out) {
        boolean showSource = source != null ? source : System.console() != null;
        int errors = 0;
        List<DiagnosticFormat.FileReport> reports = new ArrayList<>();
        for (Path path : Scripts.expand(files)) {
            String text = Scripts.read(path);
            ParseResult parsed = Syntax.parse(path.toString(), text);
            List<Diagnostic> diagnostics = Linter.check(parsed).stream()
                    .map(d -> d.withMessage(JdbcUrls.redactText(d.message()))).toList();
            errors += (int) diagnostics.stream().filter(Diagnostic::isError).count();
            reports.add(new DiagnosticFormat.FileReport(path.toString(), JdbcUrls.redactText(text), text, diagnostics));
        }
        format.write(out, reports, showSource, () -> new Main.Version().version());
        out.flush();
        return errors > 0 ? 1 : 0;
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
