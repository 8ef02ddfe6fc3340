package dev.mig.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.MigException;
import dev.mig.audit.BackupFile;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.mem0.Formats;
import dev.mig.plan.Prelude;
import dev.mig.resolve.Scripts;
import dev.mig.state.Archives;
import dev.mig.state.AuditLog;
import dev.mig.state.History;
import dev.mig.state.Runs;
import dev.mig.state.SeenRegistry;
import dev.mig.state.Snapshots;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The facts of one script's last run, read from its state connection and files (see {@link Reporter}). */
final class Facts {
    private final Scope scope;
    private final Scripts.Resolved source;
    private final Script script;
    private final Database state;
    private final String key;
    private final List<String> problems;

    Facts(Scope scope, Scripts.Resolved source, Script script, Database state, String key, List<String> problems) {
        this.scope = scope;
        this.source = source;
        this.script = script;
        this.state = state;
        this.key = key;
        this.problems = problems;
    }

    Model.Script build(Stmt.Migration header, List<Model.Store> stores) {
        History.Entry entry = null;
        Runs.Run run = null;
        List<Model.Step> steps = new ArrayList<>();
        List<Model.Backup> backups = new ArrayList<>();
        List<Model.Change> schema = new ArrayList<>();
        List<Model.Policy> policies = new ArrayList<>();
        List<Model.Snapshot> watch = new ArrayList<>();
        if (state != null) {
            try {
                entry = Reporter.history(state, key);
                run = Reporter.lastRun(state, key);
                steps = steps(run);
                backups(backups, schema);
                policies(policies);
                for (Snapshots.Table t : Snapshots.read(state)) {
                    watch.add(new Model.Snapshot(t.name(), t.format(), t.rows(), t.recordedAt()));
                }
            } catch (SQLException | MigException e) {
                problems.add(source.file() + ": cannot read mig's tables on '" + state.name() + "': " + Database.rootMessage(e));
            }
        }
        List<Model.Step> maps = steps.stream().filter(s -> s.statement().startsWith("map ")).toList();
        List<Model.Step> checks = steps.stream().filter(s -> s.statement().startsWith("checksum ") || s.statement().startsWith("assert ")
                || s.statement().startsWith("sample ") || s.statement().startsWith("test ")).toList();
        List<Model.Step> live = steps.stream().filter(s -> s.statement().startsWith("freeze ") || s.statement().startsWith("replay ")
                || s.statement().startsWith("cutover ") || s.statement().startsWith("unfreeze ")).toList();
        List<Model.Step> removed = steps.stream().filter(s -> s.statement().startsWith("archive ") || s.statement().startsWith("purge ")
                || s.statement().startsWith("prune ") || s.statement().startsWith("backups of ")).toList();
        List<Model.Reject> rejects = rejects();
        long rejectedTotal = rejects.stream().mapToLong(Model.Reject::count).sum();
        List<Model.Sample> samples = samples();
        String status = entry == null ? (state == null ? "unknown (no state store reachable)" : "not applied")
                : entry.success() ? "applied" : "FAILED";
        String version = header == null ? "-" : header.repeatable() ? "repeatable" : header.version();
        String title = header == null ? source.file() : header.description().value();
        List<String> rollback = Reporter.rollback(script);
        String command = header == null || header.repeatable() ? "(a repeatable script has no rollback of its own)"
                : "mig rollback " + header.version() + " " + source.file();
        String shaMatches = entry == null ? "" : entry.sha256().equals(source.sha256()) ? "the script is unchanged since it ran"
                : "CHANGED since it ran (recorded " + entry.sha256() + ")";
        return new Model.Script(source.file(), title, version, header == null ? "script" : header.keyword(), status,
                entry != null && entry.success(), entry == null ? "" : entry.appliedAt(), entry == null ? "" : Fmt.millis(entry.durationMs()),
                run == null ? "" : run.osUser() + "@" + run.host(), run == null ? "" : run.migVersion(), source.sha256(), shaMatches, stores,
                steps, !steps.isEmpty(), maps, !maps.isEmpty(), checks, !checks.isEmpty(), live, !live.isEmpty(), removed, !removed.isEmpty(),
                samples, !samples.isEmpty(),
                rejects, !rejects.isEmpty(), rejectedTotal, schema, !schema.isEmpty(), backups, !backups.isEmpty(), policies,
                !policies.isEmpty(), watch, !watch.isEmpty(), rollback, command, Svg.rows(schema), Svg.rejects(rejects), Svg.timeline(steps));
    }

    /** The statements of the last run (mig_audit by run id; before mig_runs existed, the version's last run). */
    private List<Model.Step> steps(Runs.Run run) throws SQLException {
        List<Model.Step> out = new ArrayList<>();
        String runId = key == null ? null : run == null ? AuditLog.lastRunId(state, key) : run.runId();
        if (runId == null) {
            return out;
        }
        long first = -1;
        for (AuditLog.Recorded r : AuditLog.ofRun(state, runId)) {
            long start = Instant.parse(r.startedAt()).toEpochMilli();
            if (first < 0) {
                first = start;
            }
            out.add(new Model.Step(r.line(), Fmt.firstLine(r.statement()), r.read(), r.written(), r.rejected(),
                    r.digest() == null ? "" : r.digest(), r.outcome(), r.startedAt(), Fmt.millis(r.millis()),
                    Fmt.firstLine(r.message()), start - first, r.millis()));
        }
        return out;
    }

    /** mig_backups of this version and mig_archives of its tables, each verified now; the schema before and after. */
    private void backups(List<Model.Backup> out, List<Model.Change> schema) throws SQLException {
        if (key == null) {
            return;
        }
        Set<String> seenTables = new HashSet<>();
        for (History.BackupTaken b : History.backups(state, key)) {
            String[] v = Reporter.verify(scope.options(), b.location());
            out.add(new Model.Backup("backup", b.table().toString(), b.location(), v[3], v[2], v[1] == null ? "" : v[1], v[0], v[0].equals("verifies")));
            if (seenTables.add(b.table().toString())) {
                schema.add(change(b));
            }
        }
        List<String> tables = new ArrayList<>();
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Archive a) {
                tables.add(a.table().table());
            }
        }
        for (Archives.Entry a : Archives.all(state)) {
            if (tables.contains(a.table()) && a.isFile()) {
                String[] v = Reporter.verify(scope.options(), a.location());
                out.add(new Model.Backup("archive", a.conn() + "." + a.table(), a.location(), v[3], String.valueOf(a.rows()), v[1] == null ? "" : v[1],
                        v[0], v[0].equals("verifies")));
            } else if (tables.contains(a.table())) {
                out.add(new Model.Backup("archive", a.conn() + "." + a.table(), a.location().substring("table:".length()), "", String.valueOf(a.rows()),
                        "", "a table (verified row by row when written)", true));
            }
        }
        for (Model.Backup b : out) {
            if (!b.verifies() && b.kind().equals("backup")) {
                problems.add(source.file() + ": the backup " + b.location() + " " + b.status());
            }
        }
    }

    /** A backed-up table: its manifest (before) against the table now (after). */
    private Model.Change change(History.BackupTaken b) {
        String formatBefore = "";
        String columnsBefore = "";
        long before = -1;
        try {
            BackupFile.Manifest m = BackupFile.readManifest(Reporter.storage(scope.options(), b.location()));
            TableInfo shape = new TableInfo(b.table().table(), m.columns(), List.of());
            formatBefore = Formats.recognise(shape);
            columnsBefore = columns(m.columns());
            before = m.rows();
        } catch (MigException e) {
            formatBefore = "(backup unreadable)";
        }
        String formatAfter = "(table gone)";
        String columnsAfter = "";
        String indexes = "";
        long after = -1;
        Database db = scope.connections().get(b.table().conn());
        if (db != null) {
            TableInfo now = db.describe(b.table().table());
            if (now != null) {
                formatAfter = Formats.recognise(now);
                columnsAfter = columns(now.columns());
                try {
                    indexes = String.join(", ", db.dialect().indexNames(db.connection(), now.name()));
                    after = Reporter.count(db, "SELECT count(*) FROM " + db.dialect().table(now.name()));
                } catch (SQLException e) {
                    indexes = "(" + Database.rootMessage(e) + ")";
                }
            }
        } else {
            formatAfter = "(store not reachable)";
        }
        return new Model.Change(b.table().toString(), formatBefore, formatAfter, before < 0 ? "" : String.valueOf(before),
                after < 0 ? "" : String.valueOf(after), columnsBefore, columnsAfter, indexes, Math.max(before, 0), Math.max(after, 0));
    }

    private static String columns(List<Column> columns) {
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            out.add(c.name() + " " + c.declaredType().toLowerCase(Locale.ROOT));
        }
        return String.join(", ", out);
    }

    private void policies(List<Model.Policy> out) throws SQLException {
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Archive a && a.selective()) {
                long seen = SeenRegistry.count(state, a.table().table());
                long[] archives = Reporter.archives(state, a.table().table());
                out.add(new Model.Policy(a.span().line(), Printer.statement(a), seen, archives[0], archives[1]));
            }
        }
    }

    /** The rejects file of the run, grouped by reason (a few keys each; never the rows). */
    private List<Model.Reject> rejects() {
        Path file = rejectsFile();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, List<String>> keys = new TreeMap<>();
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        try (var lines = Files.lines(file)) {
            lines.forEach(line -> {
                try {
                    JsonNode n = Values.JSON.readTree(line);
                    String reason = n.path("reason").asText();
                    counts.computeIfAbsent(reason, r -> new long[1])[0]++;
                    List<String> k = keys.computeIfAbsent(reason, r -> new ArrayList<>());
                    if (k.size() < 3) {
                        k.add(n.path("key").toString());
                    }
                } catch (IOException ignored) {
                    // a line that is not JSON is not a reject mig wrote
                }
            });
        } catch (IOException e) {
            problems.add(source.file() + ": cannot read the rejects file " + file + ": " + e.getMessage());
        }
        List<Model.Reject> out = new ArrayList<>();
        counts.forEach((reason, n) -> out.add(new Model.Reject(reason, n[0], String.join(" ", keys.get(reason)))));
        return out;
    }

    private Path rejectsFile() {
        Path file = null;
        Optional<Stmt.Set> set = Prelude.of(script).last("rejects"); // where the last rows went
        if (set.isPresent()) {
            try {
                file = scope.path(new Text(set.get().value(), false, set.get().span()));
            } catch (MigException e) {
                return null;
            }
        }
        if (file == null) {
            String f = source.file();
            file = scope.options().baseDir().resolve((f.endsWith(".mig") ? f.substring(0, f.length() - 4) : f) + ".rejects.jsonl");
        }
        return file;
    }

    private List<Model.Sample> samples() {
        List<Model.Sample> out = new ArrayList<>();
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Sample s && s.to() != null) {
                try {
                    Path p = scope.path(s.to());
                    out.add(new Model.Sample(Printer.statement(s), p.toString(), Files.exists(p)));
                } catch (MigException e) {
                    out.add(new Model.Sample(Printer.statement(s), s.to().value(), false));
                }
            }
        }
        return out;
    }
}
