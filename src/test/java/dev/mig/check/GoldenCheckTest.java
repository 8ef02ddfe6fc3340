package dev.mig.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mig.plan.Planner;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Syntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests: each src/test/resources/golden/check/*.mig says what check must report with
 * {@code -- expect error|warning: line:col message}, {@code -- expect incomplete}, and what the
 * plan must contain with {@code -- expect plan: text} (in order). Every diagnostic must be expected.
 */
class GoldenCheckTest {
    static final Path DIR = Path.of("src/test/resources/golden/check");
    private static final Pattern DIAGNOSTIC = Pattern.compile("--\\s*expect (error|warning): (\\d+):(\\d+) (.+)");
    private static final Pattern PLAN = Pattern.compile("--\\s*expect plan: (.+)");

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".mig")).sorted().toList();
        }
        assertTrue(files.size() >= 10, "golden files found: " + files.size());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> run(file)));
    }

    private static void run(Path file) throws IOException {
        String source = Files.readString(file);
        ParseResult parsed = Syntax.parse(file.getFileName().toString(), source);
        List<Diagnostic> actual = new ArrayList<>(Linter.check(parsed));
        List<String> problems = new ArrayList<>();
        List<String> planExpectations = new ArrayList<>();
        boolean expectIncomplete = false;
        for (String line : source.split("\n")) {
            String trimmed = line.trim();
            Matcher d = DIAGNOSTIC.matcher(trimmed);
            Matcher p = PLAN.matcher(trimmed);
            if (d.matches()) {
                Diagnostic match = find(actual, d.group(1), Integer.parseInt(d.group(2)), Integer.parseInt(d.group(3)),
                        d.group(4).trim());
                if (match == null) {
                    problems.add("missing " + trimmed.substring(trimmed.indexOf("expect ") + 7));
                } else {
                    actual.remove(match);
                }
            } else if (p.matches()) {
                planExpectations.add(p.group(1).trim());
            } else if (trimmed.matches("--\\s*expect incomplete")) {
                expectIncomplete = true;
            }
        }
        for (Diagnostic d : actual) {
            problems.add("unexpected " + d.headline());
        }
        if (!problems.isEmpty()) {
            fail(file + ":\n  " + String.join("\n  ", problems));
        }
        assertEquals(expectIncomplete, parsed.incomplete(), "incomplete");
        String plan = Planner.plan(parsed.script());
        int from = 0;
        for (String expected : planExpectations) {
            int at = plan.indexOf(expected, from);
            if (at < 0) {
                fail(file + ": plan lacks (in order) '" + expected + "'\n" + plan);
            }
            from = at + expected.length();
        }
    }

    private static Diagnostic find(List<Diagnostic> actual, String severity, int line, int col, String fragment) {
        for (Diagnostic d : actual) {
            if (d.severity().label().equals(severity) && d.span().line() == line && d.span().column() == col
                    && d.message().contains(fragment)) {
                return d;
            }
        }
        return null;
    }
}
