package dev.mig.cli;

import dev.mig.MigException;
import dev.mig.report.Model;
import dev.mig.report.Render;
import dev.mig.report.Reporter;
import dev.mig.resolve.RunOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", description = "Write the handover document of scripts that ran: what was moved, what proves it, what was "
        + "kept (backups verified again now) and how to undo it, as Markdown or one self-contained HTML page.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SCRIPT|DIR", description = "the scripts that ran (their variables come from the environment)")
    List<Path> files;

    /** The forms of a report. */
    enum Format {
        MARKDOWN, HTML;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown",
            description = "markdown (default) or html")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    @Override
    public Integer call() {
        boolean html = format == Format.HTML;
        Model.Report report = new Reporter(new RunOptions(false, System.getenv(), Path.of("").toAbsolutePath(), line -> { }))
                .build(files, Instant.now());
        String text = html ? Render.html(report) : Render.markdown(report);
        PrintWriter err = spec.commandLine().getErr();
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            try {
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, text);
            } catch (IOException e) {
                throw new MigException("cannot write " + out + ": " + e.getMessage(), e);
            }
            err.println("report written to " + out);
        }
        report.problems().forEach(p -> err.println("note: " + p));
        err.flush();
        return report.hasProblems() ? 1 : 0;
    }
}
