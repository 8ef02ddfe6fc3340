package dev.mig.run.session;

import dev.mig.MigException;
import dev.mig.Output;
import dev.mig.audit.RejectsFile;
import dev.mig.audit.Storage;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.offsite.Locations;
import dev.mig.plan.Effects;
import dev.mig.plan.Prelude;
import dev.mig.resolve.Env;
import dev.mig.resolve.RunOptions;
import dev.mig.state.AuditLog;
import dev.mig.state.History;
import dev.mig.state.Progress;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import dev.mig.syntax.Text;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The state of one script run or REPL session: open connections, settings, what the statements so far
 * left behind ({@link ScriptMemory}: maps, digests, guards), and the audit log and rejects file.
 */
public final class Session implements AutoCloseable {
    private final String file;
    private final RunOptions options;
    private final Env env;
    private final String runId = UUID.randomUUID().toString();
    private final Map<String, Database> connections = new LinkedHashMap<>();
    private String version;
    private String stateName;
    private boolean stateFixed;
    /** The script's connections, settings and written connections (null in the REPL, which has no whole script). */
    private Prelude prelude;
    private final Map<String, Boolean> holdsState = new HashMap<>();
    /** The connections the script writes (null: any writable one may keep the state, as in the REPL). */
    /** The connections a statement of this run has written so far: only these get a snapshot. */
    private final Set<String> written = new LinkedHashSet<>();
    private final Settings settings = new Settings();
    private final ScriptMemory memory = new ScriptMemory(this::state);
    private Path rejectsPath;
    private Path auditPath;
    private RejectsFile rejects;
    private AuditLog audit;
    private Instant statementStart = Instant.now();

    private ProgressListener progress = ProgressListener.NONE;

    public Session(String file, RunOptions options) {
        this.file = file;
        this.options = options;
        this.env = new Env(options.environment());
        String stem = file.endsWith(".mig") ? file.substring(0, file.length() - 4) : file;
        this.rejectsPath = Path.of(stem + ".rejects.jsonl");
        this.auditPath = Path.of(stem + ".audit.jsonl");
    }

    /** This run's id (audit lines and receipts name it). */
    public String runId() {
        return runId;
    }

    public String file() {
        return file;
    }

    public RunOptions options() {
        return options;
    }

    public boolean dryRun() {
        return options.dryRun();
    }

    public Output out() {
        return options.output();
    }

    public String version() {
        return version;
    }

    public void version(String version) {
        this.version = version;
    }

    /**
     * An evaluator for the current statement: now() is its start, ${VAR} in literals resolved, in (select ...)
     * read from its table once per statement.
     */
    public Evaluator evaluator(Evaluator.TableFunctions tables) {
        return new Evaluator(statementStart, tables, (value, span) -> {
            try {
                return env.resolve(value);
            } catch (MigException e) {
                throw new RunException(file, span, e.getMessage());
            }
        }, select -> SelectValues.read(this, select));
    }

    public Evaluator evaluator() {
        return evaluator((call, row) -> {
            throw new EvalException(call.function() + "(...) is "
                    + (call.function().equals("count") ? "allowed in assert only" : "allowed in archive ... where only"));
        });
    }

    /** Resolves ${VAR} in a string literal of the current statement. */
    public String resolve(Text text) {
        try {
            return env.resolve(text.value());
        } catch (MigException e) {
            throw new RunException(file, text.span(), e.getMessage());
        }
    }

    /** A path from the script, relative to the base directory. */
    /** Where a backup, archive or receipt goes: a path (as {@link #path}) or an s3:// object. */
    public Storage storage(Text text) {
        return storage(resolve(text));
    }

    /** The storage of a location recorded earlier (mig_backups, mig_archives): a path or an s3:// URI. */
    public Storage storage(String location) {
        try {
            return Locations.open(location, options.environment(), options.baseDir());
        } catch (MigException e) {
            throw new RunException(file, Span.NONE, e.getMessage());
        }
    }

    public Path path(Text text) {
        Path p = Path.of(resolve(text));
        return p.isAbsolute() ? p : options.baseDir().resolve(p).normalize();
    }

    public void statementStarted(Stmt stmt) {
        memory.safety().nextStatement();
        this.statementStart = Instant.now();
    }

    public ProgressListener progress() {
        return progress;
    }

    public void progress(ProgressListener listener) {
        this.progress = listener;
    }

    public Instant statementStart() {
        return statementStart;
    }

    public RunException error(Span span, String message) {
        return new RunException(file, span, message, null);
    }

    /** A statement failed because of {@code cause}: its message, positioned, with the cause kept. */
    public RunException error(Span span, MigException cause) {
        return new RunException(file, span, cause.getMessage(), cause);
    }

    /** A statement failed because of {@code cause}, said in {@code message}. */
    public RunException error(Span span, String message, Throwable cause) {
        return new RunException(file, span, message, cause);
    }

    // ---- connections

    public boolean connected(String name) {
        return connections.containsKey(name);
    }

    public void addConnection(Database db) {
        connections.put(db.name(), db);
        if (!db.readonly() && !stateFixed) {
            stateName = db.name(); // the REPL's rule: the last writable connection
        }
    }

    private static boolean holdsState(Database db) {
        try {
            return db.describe("mig_history") != null;
        } catch (RuntimeException e) {
            return false; // an unreadable catalog is found by the statement that needs it
        } finally {
            db.commit();
        }
    }

    /** The script this session runs: its state connection follows {@link Prelude#stateConnection}. */
    public void prelude(Prelude prelude) {
        this.prelude = prelude;
    }

    /** The connections this run's statements wrote, in the order first written. */
    public Set<String> written() {
        return Collections.unmodifiableSet(written);
    }

    public Map<String, Database> connections() {
        return connections;
    }

    public Database db(String name, Span span) {
        Database db = connections.get(name);
        if (db == null) {
            throw error(span, "unknown connection '" + name + "'" + (connections.isEmpty() ? ""
                    : "; connected: " + String.join(", ", connections.keySet())));
        }
        return db;
    }

    public Database db(TableRef table) {
        return db(table.conn(), table.span());
    }

    /** The table, described; an error at the reference when it does not exist. */
    public TableInfo table(TableRef ref) {
        Database db = db(ref);
        TableInfo info = db.describe(ref.table());
        if (info == null) {
            throw error(ref.span(), "no table " + ref.table() + " on '" + ref.conn() + "' (" + db.redactedUrl() + ")");
        }
        return info;
    }

    /** The connection that keeps mig_history and mig_audit (the script's rule: {@link Prelude#stateConnection}); null when none is writable. */
    public Database state() {
        if (prelude != null && !stateFixed) {
            return prelude.stateConnection(n -> connections.containsKey(n) && !connections.get(n).readonly(),
                    n -> holdsState.computeIfAbsent(n, k -> holdsState(connections.get(k)))).map(connections::get).orElse(null);
        }
        return stateName == null ? null : connections.get(stateName);
    }

    public void state(String name, Span span) {
        db(name, span);
        if (connections.get(name).readonly()) {
            throw error(span, "'" + name + "' is readonly and cannot keep mig's state tables");
        }
        this.stateName = name;
        this.stateFixed = true;
    }

    // ---- settings

    /** batch, fetch, parallel and pushdown as set by the script (set ...). */
    public Settings settings() {
        return settings;
    }

    public void rejectsPath(Path path) {
        closeRejects();
        this.rejectsPath = path;
    }

    public void auditPath(Path path) {
        this.auditPath = path;
        if (audit != null) {
            audit.file(path);
        }
    }

    /** The maps, digests and guards of this run's statements so far, and the script's own. */
    public ScriptMemory memory() {
        return memory;
    }

    /** The rejects file, opened on first use; map workers share it (hence synchronized). */
    public synchronized RejectsFile rejects() {
        if (rejects == null) {
            rejects = new RejectsFile(dryRun() ? Path.of(System.getProperty("java.io.tmpdir"), "mig-dry-run-"
                    + runId + ".rejects.jsonl") : rejectsPath, file);
        }
        return rejects;
    }

    public synchronized AuditLog audit() {
        if (audit == null) {
            Path path = dryRun() ? Path.of(System.getProperty("java.io.tmpdir"), "mig-dry-run-" + runId + ".audit.jsonl")
                    : auditPath;
            audit = new AuditLog(path, file, runId);
        }
        return audit;
    }

    private synchronized void closeRejects() {
        if (rejects != null) {
            rejects.close();
            rejects = null;
        }
    }

    @Override
    public void close() {
        closeRejects();
        if (audit != null) {
            audit.close();
        }
        for (Database db : connections.values()) {
            try {
                db.close();
            } catch (RuntimeException ignored) {
                // closing the others matters more
            }
        }
        connections.clear();
    }

    /** Resume tracking for the map at this line (mig_progress), or null when there is nowhere to keep it. */
    public Progress resumable(int line) {
        return Progress.of(state(), file, memory.scriptSha(), dryRun(), line);
    }

    /**
     * A session that keeps no trace in the databases it only reads (the REPL): its audit goes to the audit
     * file, and to mig_audit only for a statement that wrote to a database.
     */
    public void lookOnly(boolean lookOnly) {
        this.lookOnly = lookOnly;
    }

    private boolean lookOnly;

    /** Records one statement in the audit file and mig_audit. */
    public void audit(Stmt stmt, StepResult result, String outcome, String message, Instant start, long millis) {
        boolean wrote = stmt instanceof Stmt.Sql ? !result.readOnly() : !Effects.of(stmt).writtenTables().isEmpty();
        if (wrote && !dryRun()) {
            written.addAll(Effects.writtenConnections(stmt));
        }
        audit().record(lookOnly && !wrote ? null : state(), new AuditLog.Entry(version, dryRun(), stmt, result.read(), result.written(), result.rejected(),
                result.digest(), outcome, message != null ? message : result.message(), start, millis));
    }
}
