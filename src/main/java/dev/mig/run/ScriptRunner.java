package dev.mig.run;

import dev.mig.Output;
import dev.mig.check.Linter;
import dev.mig.db.Database;
import dev.mig.db.DatabaseException;
import dev.mig.db.JdbcUrls;
import dev.mig.plan.Prelude;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.resolve.Scripts;
import dev.mig.run.session.ProgressListener;
import dev.mig.run.session.RunException;
import dev.mig.run.session.Session;
import dev.mig.state.History;
import dev.mig.state.Runs;
import dev.mig.state.Snapshots;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs whole scripts: checks them, opens their connections, skips a version already applied,
 * refuses a script changed since it was applied, runs every statement, records the outcome. A
 * repeatable script runs every time; its last run is recorded under {@code R:description}.
 */
public final class ScriptRunner {
    public enum Outcome { APPLIED, SKIPPED, FAILED, REFUSED, INVALID }

    private final RunOptions options;

    public ScriptRunner(RunOptions options) {
        this.options = options;
    }

    /** Runs scripts in version order (unversioned ones after, in the order given); stops at the first failure. */
    public List<Outcome> run(List<ScriptSource> sources) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Scripts.Resolved source : Scripts.inVersionOrder(sources)) {
            Outcome outcome = run(source);
            outcomes.add(outcome);
            if (outcome != Outcome.APPLIED && outcome != Outcome.SKIPPED) {
                break;
            }
        }
        return outcomes;
    }

    public Outcome run(ScriptSource source) {
        return run(Scripts.resolve(source));
    }

    public Outcome run(Scripts.Resolved source) {
        Output out = options.output();
        String shown = JdbcUrls.redactText(source.text()); // source lines in messages never show a password
        ParseResult parsed = source.parsed();
        List<Diagnostic> problems = Linter.check(parsed);
        if (problems.stream().anyMatch(Diagnostic::isError)) {
            for (Diagnostic d : problems) {
                out.line(d.withSource(shown));
            }
            return Outcome.INVALID;
        }
        Script script = parsed.script();
        String sha = source.sha256();
        Stmt.Migration header = script.header().orElse(null);
        Instant start = Instant.now();
        try (Session session = new Session(source.file(), options)) {
            prepare(session, script, sha);
            try {
                openConnections(session, script);
            } catch (RunException e) {
                out.line(Diagnostic.error(e.file(), e.span(), e.reason()).withSource(shown));
                debug(session, e);
                return Outcome.FAILED;
            }
            Database state = session.connections().state();
            String label = header == null ? source.file() : header.label() + " (" + source.file() + ")";
            Outcome applied = alreadyApplied(state, header, source.file(), sha, label);
            if (applied != null) {
                return applied;
            }
            List<RunException> preflight = Preflight.problems(session, script);
            if (!preflight.isEmpty()) {
                for (RunException e : preflight) {
                    out.line(Diagnostic.error(e.file(), e.span(), e.reason()).withSource(shown));
                }
                out.line(label + ": not started, nothing was written (" + preflight.size() + " problem"
                        + (preflight.size() == 1 ? "" : "s") + " found before the first statement)");
                return Outcome.FAILED;
            }
            out.line((options.dryRun() ? "dry run of " : "running ") + label);
            Interpreter interpreter = new Interpreter(session);
            try {
                for (Stmt stmt : script.statements()) {
                    interpreter.execute(stmt);
                }
            } catch (RunException e) {
                out.line(Diagnostic.error(e.file(), e.span(), e.reason()).withSource(shown));
                debug(session, e);
                recordFailure(session, header, source, sha, start);
                out.line(label + ": FAILED at line " + e.span().line());
                return Outcome.FAILED;
            }
            record(session, header, source, sha, start, true);
            snapshot(session, header, source);
            long millis = Duration.between(start, Instant.now()).toMillis();
            if (options.dryRun()) {
                out.line(label + ": dry run done in " + Summary.duration(millis) + "; nothing was committed. "
                        + "Audit lines: " + session.outputs().audit().file());
            } else {
                out.line(label + ": applied in " + Summary.duration(millis) + "; audit: " + session.outputs().audit().file());
            }
            return Outcome.APPLIED;
        }
    }

    /** What the session knows of the whole script before its first statement: its maps, connections, settings, sha256. */
    private void prepare(Session session, Script script, String sha) {
        List<Stmt.MapTable> maps = new ArrayList<>();
        for (Stmt stmt : script.statements()) {
            if (stmt.tableMap() != null) {
                maps.add(stmt.tableMap());
            }
        }
        session.memory().scriptMaps(maps);
        session.connections().prelude(Prelude.of(script));
        session.memory().scriptSha(sha);
        session.progress(ProgressListener.plain(options.output(), 10_000));
    }

    /** SKIPPED when this version was applied from the same text, REFUSED when from another; null to run it. */
    private Outcome alreadyApplied(Database state, Stmt.Migration header, String file, String sha, String label) {
        if (header == null || header.repeatable() || state == null) {
            return null;
        }
        History.Entry entry = History.find(state, header.version());
        if (entry == null || !entry.success()) {
            return null;
        }
        Output out = options.output();
        if (entry.sha256().equals(sha)) {
            out.line(label + ": already applied at " + entry.appliedAt() + ", skipped");
            return Outcome.SKIPPED;
        }
        out.line(file + ":" + header.span().line() + ":1: error: migration " + header.version()
                + " was applied at " + entry.appliedAt() + " from a script with sha256 "
                + entry.sha256().substring(0, 12) + "..., but this script's sha256 is " + sha.substring(0, 12)
                + "...: an applied migration must not change. Restore its text, or put the change in a new "
                + "migration with a higher version.");
        return Outcome.REFUSED;
    }

    static void openConnections(Session session, Script script) {
        Prelude prelude = Prelude.of(script);
        for (Stmt.Connect c : prelude.connections()) {
            if (!session.connections().has(c.name())) {
                session.statementStarted(c);
                ConnectStep.open(session, c);
            }
        }
        for (Stmt.Set s : prelude.settings()) {
            if (s.name().equalsIgnoreCase("state")) {
                session.connections().keepStateOn(s.value(), s.span());
            }
        }
        // the script's audit and rejects files from its first line on, not default ones beside them
        prelude.first("audit").ifPresent(s -> session.outputs().auditPath(SetStep.path(session, s)));
        prelude.first("rejects").ifPresent(s -> session.outputs().rejectsPath(SetStep.path(session, s)));
    }

    /**
     * How the run left each database it wrote (mig_snapshot): what mig watch compares the stores with. A
     * database the run only read gets none: a source stays byte for byte as it was. A snapshot that cannot
     * be written is a warning, not a failed run: the data is migrated.
     */
    private void snapshot(Session session, Stmt.Migration header, Scripts.Resolved source) {
        if (options.dryRun()) {
            return;
        }
        for (String name : session.connections().written()) {
            Database db = session.connections().all().get(name);
            if (db == null || db.readonly()) {
                continue;
            }
            try {
                Snapshots.record(db, header == null ? null : header.historyKey(), source.file());
            } catch (RuntimeException e) {
                options.output().line("warning: no snapshot of '" + db.name() + "' for mig watch: " + Database.rootMessage(e));
            }
        }
    }

    /**
     * The failure goes to mig_history; when the state connection is the one that was lost, it is opened
     * once more for that; if the database is still away, the output and the audit file say so (the
     * version stays unrecorded, so the next run runs it again and resumes).
     */
    private void recordFailure(Session session, Stmt.Migration header, Scripts.Resolved source, String sha, Instant start) {
        try {
            record(session, header, source, sha, start, false);
        } catch (RuntimeException e) {
            Database state = session.connections().state();
            if (!DatabaseException.isConnectionLost(e) || state == null || !state.reconnectable()) {
                throw e;
            }
            try {
                state.reconnect();
                record(session, header, source, sha, start, false);
            } catch (RuntimeException stillAway) {
                options.output().line("the failure could not be recorded in mig_history on '" + state.name() + "' (the "
                        + "connection is still lost: " + Database.rootMessage(stillAway) + "); the audit file has every "
                        + "statement, and the next run runs this version again, resuming what it committed");
            }
        }
    }

    private void record(Session session, Stmt.Migration header, Scripts.Resolved source, String sha, Instant start, boolean ok) {
        Database state = session.connections().state();
        if (header == null || state == null || options.dryRun()) {
            return;
        }
        long millis = Duration.between(start, Instant.now()).toMillis();
        History.record(state, new History.Entry(header.historyKey(), header.description().value(), source.file(), sha,
                start.toString(), millis, ok));
        Runs.record(state, new Runs.Run(session.runId(), header.historyKey(), source.file(), sha,
                start.toString(), millis, Runs.osUser(), Runs.host(),
                Runs.migVersion(), ok));
    }

    /** With MIG_DEBUG set (1, true, yes), the whole chain of causes, passwords masked: for a bug report. */
    private void debug(Session session, Throwable e) {
        if (debugging(options.environment())) {
            options.output().line(trace(session, e));
        }
    }

    /** The trace of {@code e} with every password masked, those of the session's connections included. */
    static String trace(Session session, Throwable e) {
        return JdbcUrls.stackTrace(e, session.connections().all().values().stream().map(Database::url).toList());
    }

    public static boolean debugging(Map<String, String> environment) {
        String v = environment.get("MIG_DEBUG");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }
}
