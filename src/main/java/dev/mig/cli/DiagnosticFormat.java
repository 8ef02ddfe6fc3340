package dev.mig.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.syntax.Diagnostic;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How {@code mig check} reports: text for people, GitHub Actions workflow commands (annotations on the
 * changed lines), SARIF 2.1.0 for code-scanning tools, JSON for anything else. JSON and SARIF are built
 * with Jackson.
 */
enum DiagnosticFormat {
    TEXT, GITHUB, SARIF, JSON;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Made on first use: text output (a pre-commit hook) does not load Jackson, some 300 classes. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
    static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    /**
     * Diagnostics of one file, with its text for source lines (secrets masked) and the original's line
     * breaks (to tell a one-line span, whose end column tools can mark, from a multi-line one).
     */
    record FileReport(String file, String text, String original, List<Diagnostic> diagnostics) {
        /** The column after the span's end when the span stays on its line, else -1. */
        int endColumn(Diagnostic d) {
            int start = d.span().start();
            int end = d.span().end();
            if (end <= start || end > original.length() || original.substring(start, end).contains("\n")) {
                return -1;
            }
            return Math.max(1, d.span().column()) + (end - start);
        }
    }

    void write(PrintWriter out, List<FileReport> files, boolean showSource, Supplier<String> version) {
        write(out, files, showSource, version, RuleSet.CHECK);
    }

    /** {@code version} is asked only by SARIF: reading it opens the jar, 8 ms of a text check's start. */
    void write(PrintWriter out, List<FileReport> files, boolean showSource, Supplier<String> version, RuleSet rules) {
        switch (this) {
            case TEXT -> text(out, files, showSource);
            case GITHUB -> github(out, files, rules);
            case SARIF -> out.println(json(sarif(files, version.get(), rules)));
            case JSON -> out.println(json(plain(files)));
        }
    }

    private static void text(PrintWriter out, List<FileReport> files, boolean showSource) {
        int errors = 0;
        int warnings = 0;
        Map<String, Integer> byRule = new TreeMap<>();
        for (FileReport f : files) {
            for (Diagnostic d : f.diagnostics()) {
                out.println(showSource ? d.withSource(f.text()) : d.headline());
                if (d.isError()) {
                    errors++;
                } else {
                    warnings++;
                }
                if (d.rule() != null) {
                    byRule.merge(d.rule(), 1, Integer::sum);
                }
            }
        }
        if (showSource || errors + warnings > 0) {
            StringBuilder rules = new StringBuilder();
            byRule.forEach((rule, n) -> rules.append(rules.length() == 0 ? " (" : ", ").append(rule).append(' ').append(n));
            out.println(CheckCommand.count(errors, "error") + ", " + CheckCommand.count(warnings, "warning") + " in "
                    + CheckCommand.count(files.size(), "file") + (rules.length() == 0 ? "" : rules + ")"));
        }
    }

    /** {@code ::error file=F,line=L,col=C,endColumn=E,title=mig check::message}, escaped as the runner expects. */
    private static void github(PrintWriter out, List<FileReport> files, RuleSet rules) {
        for (FileReport f : files) {
            for (Diagnostic d : f.diagnostics()) {
                StringBuilder line = new StringBuilder("::").append(d.isError() ? "error" : "warning");
                line.append(" file=").append(property(f.file()));
                line.append(",line=").append(d.span().line());
                line.append(",col=").append(Math.max(1, d.span().column()));
                if (f.endColumn(d) > 0) {
                    line.append(",endColumn=").append(f.endColumn(d));
                }
                line.append(",title=").append(property(d.rule() == null ? rules.tool() : "mig " + d.rule()));
                line.append("::").append(data(d.message()));
                out.println(line);
            }
        }
    }

    /** A command's message: %, CR and LF escaped. */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A command's property value: also : and , escaped. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }

    private static ObjectNode plain(List<FileReport> files) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("diagnostics");
        int errors = 0;
        int warnings = 0;
        for (FileReport f : files) {
            for (Diagnostic d : f.diagnostics()) {
                ObjectNode n = list.addObject();
                n.put("file", f.file());
                n.put("line", d.span().line());
                n.put("column", Math.max(1, d.span().column()));
                n.put("severity", d.severity().label());
                n.put("rule", d.rule());
                n.put("message", d.message());
                if (d.isError()) {
                    errors++;
                } else {
                    warnings++;
                }
            }
        }
        root.put("files", files.size());
        root.put("errors", errors);
        root.put("warnings", warnings);
        return root;
    }

    private static ObjectNode sarif(List<FileReport> files, String version, RuleSet set) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "mig");
        driver.put("version", version);
        driver.put("informationUri", Docs.uri("README.md", null));
        ArrayNode rules = driver.putArray("rules");
        for (RuleSet.Info rule : set.rules()) {
            ObjectNode r = rules.addObject();
            r.put("id", rule.id());
            StringBuilder name = new StringBuilder(); // SARIF's rule name: an identifier, e.g. RawSql
            for (String part : rule.id().split("-")) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
            r.put("name", name.toString());
            r.putObject("shortDescription").put("text", rule.title());
            r.putObject("fullDescription").put("text", rule.description());
            r.put("helpUri", Docs.uri(set.docsPage(), rule.id()));
            r.putObject("help").put("text", rule.description() + " " + rule.silence());
            r.putObject("defaultConfiguration").put("level", rule.severity() == Diagnostic.Severity.ERROR ? "error" : "warning");
        }
        ArrayNode results = run.putArray("results");
        for (FileReport f : files) {
            for (Diagnostic d : f.diagnostics()) {
                ObjectNode r = results.addObject();
                int index = d.rule() == null ? 0 : set.index(d.rule());
                r.put("ruleId", set.rules().get(index).id());
                r.put("ruleIndex", index);
                r.put("level", d.isError() ? "error" : "warning");
                r.putObject("message").put("text", d.message());
                ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
                physical.putObject("artifactLocation").put("uri", f.file().replace('\\', '/'));
                ObjectNode region = physical.putObject("region");
                region.put("startLine", Math.max(1, d.span().line()));
                region.put("startColumn", Math.max(1, d.span().column()));
                if (f.endColumn(d) > 0) {
                    region.put("endColumn", f.endColumn(d));
                }
            }
        }
        return root;
    }

    private static String json(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
