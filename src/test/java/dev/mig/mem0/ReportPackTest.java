package dev.mig.mem0;

import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.mem0.emulation.Stores;
import dev.mig.report.Model;
import dev.mig.report.Render;
import dev.mig.report.Reporter;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.resolve.Scripts;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig report on a real pack run (007 on a G2 history written as mem0 releases wrote it): its numbers are
 * the mig_* tables' numbers, its Markdown parses as CommonMark with every table intact, its HTML passes
 * the Nu HTML Checker, the same inputs give the same bytes, and a backup that was altered or removed, or
 * a store that cannot be reached, is reported as such - never as verified.
 */
class ReportPackTest {
    private static final Path SCRIPT = Path.of("scripts/mem0/007_history_g2_sqlite.mig");

    @TempDir
    Path dir;

    private Map<String, String> env;

    private Model.Report report(Instant at) {
        return new Reporter(new RunOptions(false, env, dir, line -> { })).build(List.of(SCRIPT), at);
    }

    @Test
    void theReportSaysWhatTheTablesAndFilesSay() throws Exception {
        Path db = dir.resolve("history.db");
        try (Connection c = sqlite(db)) {
            Stores.g2(c, 2000, 61);
        }
        env = new HashMap<>(Map.of("MEM0_HISTORY_URL", "jdbc:sqlite:" + db, "MIG_OUT", dir.resolve("out").toString()));
        PackRun.applied(dir, "007_history_g2_sqlite.mig", env);

        Instant at = Instant.parse("2026-12-03T12:00:00Z");
        Model.Report report = report(at);
        String md = Render.markdown(report);
        assertEquals(List.of(), report.problems(), md);

        // the timeline is mig_audit's rows of the run mig_runs names, number for number
        List<List<String>> timeline = table(md, "line", "statement", "read", "written", "rejected", "outcome", "took");
        List<List<String>> audit = new ArrayList<>();
        String who;
        try (Connection c = sqlite(db); Statement s = c.createStatement()) {
            ResultSet run = s.executeQuery("SELECT run_id, os_user, host FROM mig_runs WHERE version = '7'");
            assertTrue(run.next(), "mig_runs records the run");
            String runId = run.getString(1);
            who = run.getString(2) + "@" + run.getString(3);
            ResultSet rs = s.executeQuery("SELECT line, rows_read, rows_written, rows_rejected, outcome FROM mig_audit WHERE run_id = '"
                    + runId + "' ORDER BY started_at, line");
            while (rs.next()) {
                audit.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        assertEquals(audit.size(), timeline.size(), md);
        for (int i = 0; i < audit.size(); i++) {
            List<String> row = timeline.get(i);
            assertEquals(audit.get(i), List.of(row.get(0), row.get(2), row.get(3), row.get(4), row.get(5)), "step " + i);
        }
        assertTrue(md.contains("| run by | " + who + " |"), md);
        assertTrue(md.contains("| script sha256 | `" + Scripts.resolve(new ScriptSource(SCRIPT.toString(),
                Files.readString(SCRIPT))).sha256() + "` the script is unchanged since it ran |"), md);
        // the schema table: G2 before, and the rows now equal count(*)
        List<List<String>> schema = table(md, "table", "mem0 format before", "after", "rows before", "after", "columns before",
                "columns after", "indexes after");
        assertEquals(1, schema.size(), md);
        try (Connection c = sqlite(db); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*) FROM history");
            rs.next();
            assertEquals(String.valueOf(rs.getLong(1)), schema.get(0).get(4));
        }
        List<List<String>> backups = table(md, "kind", "table", "where", "size", "rows", "sha256", "now");
        assertEquals("verifies", backups.get(0).get(6), md);
        Path backup = Path.of(backups.get(0).get(2));
        JsonNode manifest = new ObjectMapper().readTree(Path.of(backup + ".manifest.json").toFile());
        assertEquals(manifest.get("rows").asText(), backups.get(0).get(4));
        // the whole digest, as sha256sum prints it of the file itself, so the receiver can check it
        String fileSha = DigestUtils.sha256Hex(Files.readAllBytes(backup));
        assertEquals(manifest.get("sha256").asText(), fileSha);
        assertEquals(fileSha, backups.get(0).get(5));

        // HTML: valid (Nu HTML Checker), self-contained, and the same facts
        String html = Render.html(report);
        nu.validator.client.EmbeddedValidator validator = new nu.validator.client.EmbeddedValidator();
        validator.setOutputFormat(nu.validator.client.EmbeddedValidator.OutputFormat.JSON);
        JsonNode checked = new ObjectMapper().readTree(validator.validate(new ByteArrayInputStream(
                html.getBytes(StandardCharsets.UTF_8))));
        List<String> errors = new ArrayList<>();
        checked.path("messages").forEach(m -> {
            if (!"info".equals(m.path("type").asText())) {
                errors.add(m.path("type").asText() + " line " + m.path("lastLine").asText() + ": " + m.path("message").asText());
            }
        });
        assertEquals(List.of(), errors, "the Nu HTML Checker");
        assertFalse(html.contains("<script") || html.contains("http://") && !html.contains("http://www.w3.org/2000/svg")
                || html.contains("https://") || html.contains("<link"), "nothing to fetch, nothing to run");
        assertTrue(html.contains("<svg") && html.contains(who), html.substring(0, 200));
        assertTrue(html.contains("<code class=\"sha\">" + fileSha + "</code>"), "the backup's whole sha256 in the HTML");

        // the same inputs, the same bytes - apart from the one "generated at" line
        assertEquals(md, Render.markdown(report(at)));
        String later = Render.markdown(report(at.plusSeconds(3600)));
        assertEquals(md.replace("Generated at " + at, ""), later.replace("Generated at " + at.plusSeconds(3600), ""));

        // an altered backup is reported as altered, a removed one as missing - never as verified
        Files.write(backup, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        Model.Report altered = report(at);
        assertTrue(table(Render.markdown(altered), "kind", "table", "where", "size", "rows", "sha256", "now").get(0).get(6)
                .startsWith("ALTERED: backup " + backup + " does not match its manifest"), Render.markdown(altered));
        assertTrue(altered.hasProblems());
        Files.delete(backup);
        Model.Report missing = report(at);
        assertTrue(table(Render.markdown(missing), "kind", "table", "where", "size", "rows", "sha256", "now").get(0).get(6)
                .startsWith("MISSING"), Render.markdown(missing));
    }

    @Test
    void aStoreThatCannotBeReachedIsNamedAndTheRestIsWritten() throws Exception {
        Path script = dir.resolve("s.mig");
        Files.writeString(script, "migration 1 'two stores'\nconnect a 'jdbc:sqlite:" + dir.resolve("a.db") + "'\n"
                + "connect b 'jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=hunter2'\n");
        env = new HashMap<>();
        Model.Report report = new Reporter(new RunOptions(false, env, dir, line -> { })).build(List.of(script), Instant.EPOCH);
        String md = Render.markdown(report);
        String html = Render.html(report);
        assertTrue(report.problems().stream().anyMatch(p -> p.contains("the store 'b' (jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=***) "
                + "cannot be reached")), report.problems().toString());
        assertTrue(md.contains("## migration 1: two stores") && md.contains("| a |"), md);
        assertFalse(md.contains("hunter2") || html.contains("hunter2"), "no password in the report");
    }

    /** The rows of the first GFM table whose header is exactly these cells, as CommonMark parses them. */
    static List<List<String>> table(String markdown, String... header) {
        Node doc = Parser.builder().extensions(List.of(TablesExtension.create())).build().parse(markdown);
        List<List<List<String>>> tables = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(CustomBlock block) {
                if (block instanceof TableBlock) {
                    List<List<String>> rows = new ArrayList<>();
                    collectRows(block, rows);
                    tables.add(rows);
                }
            }
        });
        for (List<List<String>> t : tables) {
            if (!t.isEmpty() && t.get(0).equals(List.of(header))) {
                return t.subList(1, t.size());
            }
        }
        throw new AssertionError("no table " + List.of(header) + " in:\n" + markdown);
    }

    private static void collectRows(Node node, List<List<String>> rows) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof TableRow) {
                List<String> cells = new ArrayList<>();
                for (Node cell = child.getFirstChild(); cell != null; cell = cell.getNext()) {
                    if (cell instanceof TableCell) {
                        cells.add(text(cell).trim());
                    }
                }
                rows.add(cells);
            } else {
                collectRows(child, rows);
            }
        }
    }

    private static String text(Node node) {
        StringBuilder out = new StringBuilder();
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof Text t) {
                out.append(t.getLiteral());
            } else if (child instanceof Code c) {
                out.append(c.getLiteral());
            } else {
                out.append(text(child));
            }
        }
        return out.toString();
    }
}
