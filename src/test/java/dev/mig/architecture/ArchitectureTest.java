package dev.mig.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The walls of the layout (docs/architecture.md), read from the sources: packages depend on each other
 * without cycles (a package's {@code internal} counts as part of it), and what differs between
 * databases stays in {@code db}.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("(?<![\\w.])(dev\\.mig(?:\\.[a-z0-9]+)*)\\.[A-Z]\\w*");
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    record Source(Path path, String pkg, String code) {
    }

    static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(p);
                Matcher m = PACKAGE.matcher(text);
                assertTrue(m.find(), p + " has no package");
                out.add(new Source(p, m.group(1), COMMENT.matcher(text).replaceAll("")));
            }
        }
        return out;
    }

    /** A package and its internal subpackage are one unit: a facade may use its own internals. */
    static String unit(String pkg) {
        return pkg.endsWith(".internal") ? pkg.substring(0, pkg.length() - ".internal".length()) : pkg;
    }

    static Map<String, Set<String>> dependencies(List<Source> sources) {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Source s : sources) {
            String from = unit(s.pkg());
            Set<String> to = deps.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(s.code());
            while (m.find()) {
                String target = unit(m.group(1));
                if (!target.equals(from)) {
                    to.add(target);
                }
            }
        }
        return deps;
    }

    /** Strongly connected components with more than one package (Tarjan). */
    static List<List<String>> cycles(Map<String, Set<String>> deps) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : deps.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, deps, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> deps, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : deps.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, deps, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    @Test
    void packagesHaveNoCycles() throws IOException {
        List<List<String>> cycles = cycles(dependencies(sources()));
        assertEquals(List.of(), cycles, "packages that depend on each other (a cycle): move the shared part down");
    }

    @Test
    void theCycleCheckFindsACycle() {
        Map<String, Set<String>> deps = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
        assertEquals(1, cycles(deps).size());
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(cycles(deps).get(0)));
    }

    /**
     * The layers of docs/architecture.md, lowest first: a package uses only packages of lower layers (none of
     * its own layer), and every package has a place here, so a new one is placed on purpose.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of(""),
            List.of("pickle", "syntax"),
            List.of("data", "faiss"),
            List.of("db"),
            List.of("audit", "mem0.emulation"),
            List.of("offsite", "mem0", "plan", "fmt", "refs", "pushdown"),
            List.of("check", "resolve", "state"),
            List.of("run.session"),
            List.of("run.map"),
            List.of("run.verify", "run.lifecycle"),
            List.of("run", "report", "watch"),
            List.of("repl", "demo"),
            List.of("cli"));

    static List<String> layerViolations(Map<String, Set<String>> deps) {
        Map<String, Integer> layer = new HashMap<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String p : LAYERS.get(i)) {
                layer.put(p.isEmpty() ? "dev.mig" : "dev.mig." + p, i);
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
            Integer from = layer.get(e.getKey());
            if (from == null) {
                out.add(e.getKey() + " has no layer in ArchitectureTest.LAYERS (and docs/architecture.md)");
                continue;
            }
            for (String to : e.getValue()) {
                Integer at = layer.get(to);
                if (at == null || at >= from) {
                    out.add(e.getKey() + " (layer " + from + ") uses " + to + " (layer " + at + ")");
                }
                boolean below = e.getKey().equals("dev.mig.report") || e.getKey().equals("dev.mig.watch");
                if (below && (to.equals("dev.mig.run") || to.startsWith("dev.mig.run."))) {
                    out.add(e.getKey() + " uses " + to + ": report and watch read mig's state (dev.mig.state), never the runner");
                }
            }
        }
        return out;
    }

    /** An internal package is its own package's detail: nobody else names anything in it. */
    static List<String> internalsUsedOutside(List<Source> sources) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            Matcher m = REFERENCE.matcher(s.code());
            while (m.find()) {
                String target = m.group(1);
                if (target.endsWith(".internal") && !unit(s.pkg()).equals(unit(target))) {
                    out.add(s.path() + ": " + m.group());
                }
            }
        }
        return out;
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwn() throws IOException {
        assertEquals(List.of(), internalsUsedOutside(sources()), "another package names an internal class: give its package a "
                + "public way to it");
        Source outside = new Source(Path.of("Z.java"), "dev.mig.run", "x = new dev.mig.db.internal.CopyText();");
        assertEquals(1, internalsUsedOutside(List.of(outside)).size(), "the rule sees a use from outside");
    }

    @Test
    void packagesUseOnlyLowerLayers() throws IOException {
        assertEquals(List.of(), layerViolations(dependencies(sources())), "move the shared part down, or the package up");
    }

    @Test
    void theLayerCheckFindsAnUpwardUse() {
        Map<String, Set<String>> deps = Map.of("dev.mig.state", Set.of("dev.mig.run"), "dev.mig.report", Set.of("dev.mig.run.session"),
                "dev.mig.newthing", Set.of());
        List<String> found = layerViolations(deps);
        assertEquals(3, found.size(), found.toString()); // upward, report into the runner (though lower), no layer
    }

    /**
     * What differs between PostgreSQL and SQLite is a method of db.Dialect; nobody else asks which one it
     * is. The one other home of dialect code is pushdown: it writes each dialect's SQL (a translator per
     * dialect) and so picks one by {@code Dialect.sql()}. Everything else may neither name a dialect
     * class nor switch on {@code sql()}.
     */
    static final Pattern ASKS = Pattern.compile("\\b(Postgres|Sqlite)\\b(?!\\w)(?![.(]\\s*\\w*Translator)"
            + "|\\.name\\(\\)\\s*\\.equals\\(\"(sqlite|postgresql)\"\\)"
            + "|\\b[dD]ialect(\\(\\))?\\s*\\.sql\\(\\)|Dialect\\.Sql\\b|\\bcase\\s+(POSTGRES|SQLITE)\\b");
    static final Set<String> DIALECT_HOMES = Set.of("dev.mig.db", "dev.mig.db.internal", "dev.mig.pushdown");

    static List<String> dialectChecks(List<Source> sources) {
        List<String> found = new ArrayList<>();
        for (Source s : sources) {
            if (DIALECT_HOMES.contains(s.pkg())) {
                continue;
            }
            Matcher m = ASKS.matcher(s.code());
            while (m.find()) {
                found.add(s.path() + ": " + m.group());
            }
        }
        return found;
    }

    @Test
    void dialectsAreKnownOnlyInDbAndPushdown() throws IOException {
        assertEquals(List.of(), dialectChecks(sources()), "dialect checks outside dev.mig.db and dev.mig.pushdown: add a "
                + "method to db.Dialect instead");
    }

    /** The rule sees each way of asking, including the switch on sql() that once slipped past it. */
    @Test
    void theDialectCheckFindsEachWayOfAsking() {
        for (String code : List.of("if (db.dialect().sql() == Dialect.Sql.POSTGRES) {}", "switch (db.dialect().sql()) { case SQLITE -> 1; }",
                "boolean pg = d instanceof Postgres;", "if (kind.name().equals(\"sqlite\")) {}", "x = db.dialect().sql() != other;")) {
            Source s = new Source(Path.of("X.java"), "dev.mig.run", code);
            assertEquals(1, Math.min(1, dialectChecks(List.of(s)).size()), "found in: " + code);
        }
        Source pushdown = new Source(Path.of("Y.java"), "dev.mig.pushdown", "switch (db.dialect().sql()) { case POSTGRES -> 1; }");
        assertEquals(List.of(), dialectChecks(List.of(pushdown)), "pushdown is a home of dialect code");
    }
}
