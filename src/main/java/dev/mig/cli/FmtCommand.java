package dev.mig.cli;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.mig.MigException;
import dev.mig.db.JdbcUrls;
import dev.mig.fmt.Formatter;
import dev.mig.resolve.Scripts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fmt", description = "Rewrite scripts in the canonical layout, keeping comments.")
final class FmtCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scripts, or directories of .mig files")
    List<Path> files;

    @Option(names = "--check", description = "change nothing; print a unified diff of what it would change and exit 1 if there is any")
    boolean check;

    @Option(names = "--stdout", description = "print the formatted text instead of rewriting the file")
    boolean toStdout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        for (Path path : Scripts.expand(files)) {
            String text = Scripts.read(path);
            String formatted;
            try {
                formatted = Formatter.format(path.toString(), text);
            } catch (MigException e) {
                err.println(e.getMessage());
                status = 2;
                continue;
            }
            if (toStdout) {
                out.print(formatted);
            } else if (check) {
                if (!formatted.equals(text)) {
                    out.println(path + ": not formatted (run mig fmt " + path + "); the change it would make:");
                    out.print(unifiedDiff(path.toString(), text, formatted));
                    status = Math.max(status, 1);
                }
            } else if (!formatted.equals(text)) {
                write(path, formatted);
                out.println("formatted " + path);
            }
        }
        out.flush();
        err.flush();
        return status;
    }

    /** The change as a unified diff (a/ and b/ paths, 3 lines of context), as git and patch read it. */
    static String unifiedDiff(String path, String before, String after) {
        List<String> original = before.lines().toList();
        List<String> revised = after.lines().toList();
        Patch<String> patch = DiffUtils.diff(original, revised);
        String name = path.replaceFirst("^/+", "");
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("a/" + name, "b/" + name, original, patch, 3);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(JdbcUrls.redactText(line)).append('\n');
        }
        return out.toString();
    }

    private static void write(Path path, String text) {
        try {
            Path temp = Files.createTempFile(path.toAbsolutePath().getParent(), ".mig-fmt", ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MigException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
