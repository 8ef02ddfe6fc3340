package dev.mig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden run tests: each src/test/resources/golden/run/*.mig makes its own SQLite data in a fresh
 * directory (${DIR}) and says what running it prints: {@code -- expect: text} lines must appear in
 * the output in order, {@code -- expect outcome: APPLIED|FAILED|...}, and {@code -- expect file: NAME
 * contains TEXT} checks a file the run wrote.
 */
class GoldenRunTest {
    private static final Path DIR = Path.of("src/test/resources/golden/run");
    private static final Pattern EXPECT = Pattern.compile("--\\s*expect: (.+)");
    private static final Pattern OUTCOME = Pattern.compile("--\\s*expect outcome: (\\w+)");
    private static final Pattern FILE = Pattern.compile("--\\s*expect file: (\\S+) contains (.+)");

    @TestFactory
    Stream<DynamicTest> goldenRuns() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".mig")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "golden run files: " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    private static void run(Path file) throws IOException {
        String text = Files.readString(file);
        Path dir = Files.createTempDirectory("mig-golden-");
        List<String> output = new ArrayList<>();
        RunOptions options = new RunOptions(false, Map.of("DIR", dir.toString(), "HOME", dir.toString()), dir, output::add);
        Path script = dir.resolve(file.getFileName());
        Files.writeString(script, text);
        ScriptRunner.Outcome outcome = new ScriptRunner(options).run(new ScriptSource(script.toString(), text));
        String printed = String.join("\n", output);
        String expectedOutcome = "APPLIED";
        int from = 0;
        for (String line : text.split("\n")) {
            Matcher e = EXPECT.matcher(line.trim());
            Matcher o = OUTCOME.matcher(line.trim());
            Matcher f = FILE.matcher(line.trim());
            if (o.matches()) {
                expectedOutcome = o.group(1);
            } else if (f.matches()) {
                String content = Files.readString(dir.resolve(f.group(1)));
                assertTrue(content.contains(f.group(2)), f.group(1) + " lacks '" + f.group(2) + "':\n" + content);
            } else if (e.matches()) {
                String expected = e.group(1).replace("${DIR}", dir.toString());
                int at = printed.indexOf(expected, from);
                if (at < 0) {
                    fail(file + ": output lacks (in order) '" + expected + "'\n--- output:\n" + printed);
                }
                from = at + expected.length();
            }
        }
        assertEquals(expectedOutcome, outcome.name(), "outcome\n--- output:\n" + printed);
        // unexpected output fails too: every error or warning printed must be one the file expects
        List<String> expected = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher e = EXPECT.matcher(line.trim());
            if (e.matches()) {
                expected.add(e.group(1).replace("${DIR}", dir.toString()));
            }
        }
        for (String line : output.stream().flatMap(o -> o.lines()).toList()) {
            if ((line.contains(" error: ") || line.contains(" warning: ")) && expected.stream().noneMatch(line::contains)) {
                fail(file + ": unexpected output line '" + line + "'\n--- output:\n" + printed);
            }
        }
    }
}
