package dev.mig.run.session;

import dev.mig.MigException;
import dev.mig.Output;
import dev.mig.audit.Storage;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.offsite.Locations;
import dev.mig.resolve.Env;
import dev.mig.resolve.RunOptions;
import dev.mig.state.Progress;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Text;
import java.nio.file.Path;
import java.time.Instant;
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
    private String version;
    private final Connections connections;
    private final Settings settings = new Settings();
    private final ScriptMemory memory;
    private final Outputs outputs;
    private Instant statementStart = Instant.now();

    private ProgressListener progress = ProgressListener.NONE;

    public Session(String file, RunOptions options) {
        this.file = file;
        this.options = options;
        this.env = new Env(options.environment());
        this.connections = new Connections(file);
        this.memory = new ScriptMemory(connections::state);
        this.outputs = new Outputs(file, runId, options.dryRun(), connections);
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

    /** A path from the script, relative to the base directory. */
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

    /** The databases: open connections, the one keeping mig's state, the ones written. */
    public Connections connections() {
        return connections;
    }

    /** batch, fetch, parallel and pushdown as set by the script (set ...). */
    public Settings settings() {
        return settings;
    }

    /** The rejects file and the audit log. */
    public Outputs outputs() {
        return outputs;
    }

    /** The maps, digests and guards of this run's statements so far, and the script's own. */
    public ScriptMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        outputs.close();
        connections.closeAll();
    }

    /** Resume tracking for the map at this line (mig_progress), or null when there is nowhere to keep it. */
    public Progress resumable(int line) {
        return Progress.of(connections.state(), file, memory.scriptSha(), dryRun(), line);
    }
}
