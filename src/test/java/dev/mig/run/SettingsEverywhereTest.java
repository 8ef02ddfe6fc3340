package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.check.Linter;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.Setting;
import dev.mig.syntax.Syntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one list of settings (syntax.Setting) is what every reader of {@code set} knows: the language
 * reference's table, the linter, the runner and the REPL's help take each of its names and no other.
 */
class SettingsEverywhereTest {
    @TempDir
    Path dir;

    @Test
    void theReferenceTableListsEverySettingAndNoOther() throws Exception {
        String doc = Files.readString(Path.of("docs/language.md"));
        String table = doc.substring(doc.indexOf("| setting | value |"));
        table = table.substring(0, table.indexOf("\n\n"));
        List<String> names = new ArrayList<>();
        for (String line : table.lines().skip(2).toList()) {
            names.add(line.substring(line.indexOf('`') + 1, line.indexOf('`', line.indexOf('`') + 1)));
        }
        assertEquals(Setting.names(), names.stream().sorted().toList(), table);
    }

    @Test
    void everyExampleLintsAndRuns() throws Exception {
        StringBuilder script = new StringBuilder("connect new 'jdbc:sqlite:" + dir.resolve("t.db") + "'\n");
        for (Setting s : Setting.values()) {
            script.append(s.example()).append('\n');
        }
        List<Diagnostic> problems = Linter.check(Syntax.parse("settings.mig", script.toString()));
        assertEquals(List.of(), problems.stream().filter(Diagnostic::isError).toList(), script.toString());
        List<String> out = new ArrayList<>();
        Path file = dir.resolve("settings.mig");
        Files.writeString(file, script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(file.toString(), script.toString()));
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, String.join("\n", out));
        for (Setting s : Setting.values()) {
            assertTrue(out.stream().anyMatch(l -> l.contains(s.example().substring(4))), s + ": " + out);
        }
    }

    @Test
    void outOfRangeValuesAreRefusedByTheLinterWithTheRange() {
        String text = "connect new 'jdbc:sqlite::memory:'\nset rows 0\nset reconnect 90000\nset parallel 65\nset pushdown maybe\n";
        List<String> errors = Linter.check(Syntax.parse("bad.mig", text)).stream().filter(Diagnostic::isError)
                .map(Diagnostic::message).toList();
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("rows takes") && errors.get(0).contains("1 to 1000000"), errors.get(0));
        assertTrue(errors.get(1).contains("0 to 86400"), errors.get(1));
    }
}
