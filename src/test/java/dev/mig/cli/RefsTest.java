package dev.mig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.refs.RefRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig refs on an application tree written as apps that predate a mem0 migration are: each rule found at
 * its file:line:col with its fix, code that is fine left alone (a variable named prev_value, a fallback
 * reading both keys, node_modules), mig:ignore honoured, an unreadable file named and the scan going on,
 * and the formats mig check has (SARIF with refs' own rules).
 */
class RefsTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void tree() throws Exception {
        write("app/history.py", String.join("\n",
                "import sqlite3",
                "rows = db.execute(\"SELECT id, prev_value, new_value FROM history ORDER BY timestamp\")",
                "cur.execute('SELECT new_value, old_memory FROM history WHERE memory_id = ?', (m,))",
                "orphans = db.execute('SELECT count(*) FROM old_history')",
                "prev_value = memory.payload.get('data')  # a variable, not a column",
                "created = datetime.now(pytz.timezone('US/Pacific'))",
                "# mig:ignore orphan-table",
                "backup = 'history_old'",
                ""));
        write("web/search.ts", String.join("\n",
                "const r = await memory.search(q, { filters: { userId: user } });",
                "const owner = payload.userId;",
                "const either = payload.user_id || payload.userId; // reads both: fine",
                "await pg.query(\"SELECT * FROM memories WHERE payload->>'agentId' = $1\", [a]);",
                "await pg.query(\"SELECT to_timestamp((payload->>'created_at')::bigint) FROM memories\");",
                ""));
        write("requirements.txt", "fastapi==0.110\nmem0ai==0.1.98\n");
        write("web/package.json", "{\n  \"dependencies\": {\n    \"mem0ai\": \"^2.4.6\"\n  }\n}\n");
        write("web/node_modules/mem0ai/dist/index.js", "const x = payload.userId;\n");
        Files.write(dir.resolve("app/broken.py"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        write("app/clean.py", "rows = db.execute('SELECT id, old_memory, new_memory, created_at FROM history')\n");
    }

    @Test
    void everyRuleIsFoundWhereItStandsAndNothingElse() throws Exception {
        tree();
        CliTest.Result r = CliTest.mig("refs", "--no-source", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        String app = dir.resolve("app/history.py").toString();
        String web = dir.resolve("web/search.ts").toString();
        List<String> expected = List.of(
                app + ":2:20: warning:", app + ":2:", app + ":3:", app + ":4:", app + ":6:",
                web + ":1:", web + ":2:", web + ":4:", web + ":5:",
                dir.resolve("requirements.txt") + ":2:1:", dir.resolve("web/package.json") + ":3:5:");
        for (String e : expected) {
            assertTrue(r.out().contains(e), e + "\n" + r.out());
        }
        assertTrue(r.out().contains("[history-g0-column]") && r.out().contains("[history-timestamp-column]")
                && r.out().contains("[history-g1-new-value]") && r.out().contains("[orphan-table]")
                && r.out().contains("[legacy-time-sql]") && r.out().contains("[ts-v2-payload-key]")
                && r.out().contains("[pinned-old-mem0]") && r.out().contains("[pinned-ts-sdk-v2]"), r.out());
        assertFalse(r.out().contains(app + ":5:"), "a variable named prev_value is not a column: " + r.out());
        assertFalse(r.out().contains(app + ":8:"), "mig:ignore on the line before: " + r.out());
        assertFalse(r.out().contains(web + ":3:"), "a fallback that reads both keys: " + r.out());
        assertFalse(r.out().contains("node_modules"), r.out());
        assertFalse(r.out().contains("clean.py"), r.out());
        assertTrue(r.err().contains("cannot read " + dir.resolve("app/broken.py") + ": not UTF-8 text (skipped)"), r.err());
        assertTrue(r.out().contains("fix: read old_memory"), r.out());
        assertTrue(r.out().matches("(?s).*0 errors, 12 warnings in 4 files \\(.*\\)\\s*"), r.out());
    }

    @Test
    void formatsAndExitCodes() throws Exception {
        tree();
        CliTest.Result sarif = CliTest.mig("refs", "--format", "sarif", dir.toString());
        assertEquals(1, sarif.code());
        JsonNode root = new ObjectMapper().readTree(sarif.out());
        ReviewTest.sarifShape(root);
        Set<String> ids = new HashSet<>();
        root.get("runs").get(0).get("tool").get("driver").get("rules").forEach(n -> ids.add(n.get("id").asText()));
        assertEquals(new HashSet<>(Arrays.stream(RefRule.values()).map(RefRule::id).toList()), ids);
        assertTrue(root.get("runs").get(0).get("tool").get("driver").get("rules").get(0).get("helpUri").asText()
                .contains("docs/refs.md#"));
        CliTest.Result github = CliTest.mig("refs", "--format", "github", dir.toString());
        assertTrue(github.out().contains("::warning file=" + dir.resolve("web/search.ts") + ",line=1,"), github.out());
        assertTrue(github.out().contains("title=mig ts-v2-payload-key::"), github.out());
        JsonNode json = new ObjectMapper().readTree(CliTest.mig("refs", "--format", "json", dir.toString()).out());
        assertEquals(12, json.get("warnings").asInt());
        Path clean = dir.resolve("clean");
        write("clean/app.py", "rows = db.execute('SELECT old_memory FROM history ORDER BY created_at')\n");
        CliTest.Result none = CliTest.mig("refs", clean.toString());
        assertEquals(0, none.code(), none.out());
        assertTrue(none.out().contains("nothing found"), none.out());
        assertEquals(2, CliTest.mig("refs", dir.resolve("nowhere").toString()).code());
    }

    @Test
    void everyRuleIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs/refs.md"));
        for (RefRule r : RefRule.values()) {
            assertTrue(docs.contains("\n### " + r.id() + "\n"), r.id());
        }
    }
}
