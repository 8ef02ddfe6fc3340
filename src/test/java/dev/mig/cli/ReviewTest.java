package dev.mig.cli;

import static dev.mig.cli.CliTest.mig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.check.Rule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review commands of docs/review.md, run on this repository's own scripts/, and their formats checked. */
class ReviewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GITHUB = Pattern.compile(
            "::(error|warning) file=[^,:]+,line=\\d+,col=\\d+(,endColumn=\\d+)?,title=mig [a-z-]+::[^\\r\\n]+");

    @TempDir
    Path dir;

    /** Every ./mig command in docs/review.md, with the workflow's variables and shell plumbing taken off. */
    static List<String[]> documentedCommands() throws Exception {
        List<String[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(?:run: )?\\./mig ([^\\n|>]+?)\\s*(?:\\|\\||>|$)").matcher(Files.readString(Path.of("docs/review.md")));
        while (m.find()) {
            String command = m.group(1).replace("origin/${{ github.base_ref }}", "HEAD").replace("$files", "scripts/mem0").trim();
            out.add(command.split("\\s+"));
        }
        return out;
    }

    @Test
    void theDocumentedCommandsPassOnThisRepositorysScripts() throws Exception {
        List<String[]> commands = documentedCommands();
        Set<String> kinds = new HashSet<>();
        for (String[] args : commands) {
            CliTest.Result r = mig(args);
            String joined = String.join(" ", args);
            kinds.add(args[0] + (joined.contains("--format") ? " " + args[2] : ""));
            if (joined.contains("--since") && r.code() == 1 && locallyEdited()) {
                assertTrue(r.err().contains("existed at HEAD and was edited"), r.err()); // a developer's uncommitted edit
                continue;
            }
            assertEquals(0, r.code(), "mig " + joined + "\n" + r.out() + r.err());
            if (joined.contains("--format github")) {
                assertFalse(r.out().isBlank(), "the pack's raw SQL is worth an annotation");
                r.out().lines().forEach(l -> assertTrue(GITHUB.matcher(l).matches(), "not a workflow command: " + l));
            } else if (joined.contains("--format sarif")) {
                sarif(JSON.readTree(r.out()));
            } else if (joined.contains("--format markdown")) {
                assertTrue(r.out().startsWith("## mig plan (since HEAD)"), r.out());
            }
        }
        assertTrue(kinds.containsAll(Set.of("check github", "check sarif", "fmt", "plan markdown", "check", "plan")), kinds.toString());
    }

    /** Uncommitted edits under scripts/ (a developer's tree; CI checks out clean). */
    private static boolean locallyEdited() throws Exception {
        Process p = new ProcessBuilder("git", "status", "--porcelain", "scripts/").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return !out.isBlank();
    }

    /** The fields SARIF 2.1.0's schema requires, and the ones code scanning needs to place a result. */
    static void sarif(JsonNode root) {
        List<String> ids = sarifShape(root);
        assertEquals(Arrays.stream(Rule.values()).map(Rule::id).toList(), ids,
                "every rule, in ruleIndex order");
    }

    /** The fields SARIF 2.1.0 requires and code scanning needs; returns the rule ids in order. */
    static List<String> sarifShape(JsonNode root) {
        assertEquals("2.1.0", root.get("version").asText());
        assertTrue(root.get("$schema").asText().contains("sarif-2.1.0"));
        JsonNode run = root.get("runs").get(0);
        assertEquals("mig", run.get("tool").get("driver").get("name").asText());
        Set<String> rules = new HashSet<>();
        JsonNode driver = run.get("tool").get("driver");
        assertTrue(URI.create(driver.get("informationUri").asText()).isAbsolute(), "informationUri is absolute");
        List<String> ids = new ArrayList<>();
        driver.get("rules").forEach(r -> {
            rules.add(r.get("id").asText());
            ids.add(r.get("id").asText());
            assertFalse(r.get("shortDescription").get("text").asText().isBlank());
            assertFalse(r.get("fullDescription").get("text").asText().isBlank());
            assertTrue(r.get("helpUri").asText().matches(".*docs/(rules|refs)\\.md#" + r.get("id").asText()), r.toString());
            assertTrue(URI.create(r.get("helpUri").asText()).isAbsolute());
        });
        assertTrue(run.get("results").size() > 0);
        for (JsonNode r : run.get("results")) {
            assertFalse(r.get("message").get("text").asText().isBlank());
            assertTrue(Set.of("error", "warning", "note", "none").contains(r.get("level").asText()));
            assertTrue(rules.contains(r.get("ruleId").asText()));
            assertEquals(r.get("ruleId").asText(), ids.get(r.get("ruleIndex").asInt()), "ruleIndex points at the rule");
            JsonNode location = r.get("locations").get(0).get("physicalLocation");
            assertFalse(location.get("artifactLocation").get("uri").asText().isBlank());
            assertTrue(location.get("region").get("startLine").asInt() >= 1);
            assertTrue(location.get("region").get("startColumn").asInt() >= 1);
        }
        return ids;
    }

    @Test
    void errorsAreAnnotatedAndEscapedAndTheExitCodeStays() throws Exception {
        Path bad = dir.resolve("bad,name.mig");
        Files.writeString(bad, "migration 1 'x'\nconnect a 'jdbc:postgresql://h/db?user=u&password=hunter2'\n"
                + "map a.t -> a.u { v -> w }\npurge a.t\n");
        CliTest.Result github = mig("check", "--format", "github", bad.toString());
        assertEquals(1, github.code(), github.out());
        assertTrue(github.out().contains("::error file=" + bad.toString().replace(",", "%2C") + ",line=4,col=1,"), github.out());
        assertTrue(github.out().contains("::warning file="), github.out());
        assertFalse(github.out().contains("hunter2"), github.out());
        CliTest.Result json = mig("check", "--format", "json", bad.toString());
        assertEquals(1, json.code());
        JsonNode n = JSON.readTree(json.out());
        assertEquals(n.get("diagnostics").size(), n.get("errors").asInt() + n.get("warnings").asInt());
        assertTrue(n.get("errors").asInt() >= 1);
        CliTest.Result sarif = mig("check", "--format", "sarif", bad.toString());
        assertEquals(1, sarif.code());
        sarif(JSON.readTree(sarif.out()));
        assertFalse(sarif.out().contains("hunter2"));
        assertEquals("100%25 a%0Ab%0D", DiagnosticFormat.data("100% a\nb\r"));
        assertEquals("a%3Ab%2Cc%25", DiagnosticFormat.property("a:b,c%"));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        CliTest.Result format = mig("check", "--format", "xml", "scripts/mem0");
        assertEquals(2, format.code());
        assertEquals("mig: unknown format 'xml' for check: text, github, sarif or json", format.err().strip());
        CliTest.Result revision = mig("plan", "--since", "no-such-revision-here", "scripts/mem0");
        assertEquals(2, revision.code());
        assertEquals("mig: --since no-such-revision-here: no such git revision", revision.err().strip());
        CliTest.Result plan = mig("plan", "--format", "pdf", "scripts/mem0");
        assertEquals(2, plan.code());

        // outside a git checkout (a temporary directory), as its own process
        Path script = Path.of("scripts/mem0/011_ts_collection_v2_to_v3.mig").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.mig.cli.Main", "plan", "--since", "HEAD", script.toString())
                .directory(dir.toFile()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor());
        assertTrue(err.startsWith("mig: --since HEAD: not a git checkout here, and not a directory"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void planSinceADirectoryFlagsAnEditedMigrationAndShowsOnlyChanges() throws Exception {
        Path before = Files.createDirectories(dir.resolve("before"));
        Path after = Files.createDirectories(dir.resolve("after"));
        String one = "migration 1 'one'\nconnect a 'jdbc:sqlite:a.db'\nbackup a.t to 'b.jsonl.gz'\n";
        Files.writeString(before.resolve("001.mig"), one);
        Files.writeString(before.resolve("002.mig"), "migration 2 'two'\nconnect a 'jdbc:sqlite:a.db'\ninventory a\n");
        Files.writeString(after.resolve("001.mig"), one);
        Files.writeString(after.resolve("002.mig"), "migration 2 'two'\nconnect a 'jdbc:sqlite:a.db'\ninventory a.t\n");
        Files.writeString(after.resolve("003.mig"), "migration 3 'three'\nconnect a 'jdbc:sqlite:a.db'\ninventory a\n");
        CliTest.Result r = mig("plan", "--since", before.toString(), after.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("2 scripts added or changed since " + before + ", 1 unchanged"), r.out());
        assertTrue(r.out().contains("002.mig: EDITED migration 2"), r.out());
        assertTrue(r.out().contains("003.mig: new"), r.out());
        assertFalse(r.out().contains("Plan for " + after.resolve("001.mig")), r.out());
        assertTrue(r.err().contains("migration 2 existed at " + before + " and was edited"), r.err());
        CliTest.Result md = mig("plan", "--format", "markdown", "--since", before.toString(), after.toString());
        assertTrue(md.out().contains("**Edited** migration 2"), md.out());
        assertTrue(md.out().contains("| # | line | statement | reads | writes | deletes |"), md.out());
    }

    @Test
    void fmtCheckPrintsAUnifiedDiff() throws Exception {
        Path file = dir.resolve("u.mig");
        Files.writeString(file, "migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nmap a.t -> a.u key id {\n id->id\n}\n");
        CliTest.Result r = mig("fmt", "--check", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("\n--- a/"), r.out());
        assertTrue(r.out().contains("\n+++ b/"), r.out());
        assertTrue(r.out().contains("\n@@ -1,5 +1,5 @@\n"), r.out());
        assertTrue(r.out().contains("\n- id->id\n+  id -> id\n"), r.out());
        assertEquals("migration 1 'x'\nconnect a 'jdbc:sqlite:a.db'\nmap a.t -> a.u key id {\n id->id\n}\n", Files.readString(file));
    }
}
