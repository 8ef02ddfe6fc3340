package dev.mig.run.session;

import dev.mig.audit.RejectsFile;
import dev.mig.plan.Effects;
import dev.mig.state.AuditLog;
import dev.mig.syntax.Stmt;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a run leaves beside the databases: its rejects file and its audit log (file and mig_audit). A dry
 * run writes both to the temporary directory, so a rehearsal never touches the real ones.
 */
public final class Outputs {
    private final String file;
    private final String runId;
    private final boolean dryRun;
    private final Connections connections;
    private Path rejectsPath;
    private Path auditPath;
    private RejectsFile rejects;
    private AuditLog audit;
    private boolean lookOnly;

    Outputs(String file, String runId, boolean dryRun, Connections connections) {
        this.file = file;
        this.runId = runId;
        this.dryRun = dryRun;
        this.connections = connections;
        String stem = file.endsWith(".mig") ? file.substring(0, file.length() - 4) : file;
        this.rejectsPath = Path.of(stem + ".rejects.jsonl");
        this.auditPath = Path.of(stem + ".audit.jsonl");
    }

    /** {@code set rejects 'FILE'}. */
    public void rejectsPath(Path path) {
        closeRejects();
        this.rejectsPath = path;
    }

    /** {@code set audit 'FILE'}. */
    public void auditPath(Path path) {
        this.auditPath = path;
        if (audit != null) {
            audit.file(path);
        }
    }

    /** The rejects file, opened on first use; map workers share it (hence synchronized). */
    public synchronized RejectsFile rejects() {
        if (rejects == null) {
            rejects = new RejectsFile(dryRun ? temporary("rejects") : rejectsPath, file);
        }
        return rejects;
    }

    public synchronized AuditLog audit() {
        if (audit == null) {
            audit = new AuditLog(dryRun ? temporary("audit") : auditPath, file, runId);
        }
        return audit;
    }

    private Path temporary(String kind) {
        return Path.of(System.getProperty("java.io.tmpdir"), "mig-dry-run-" + runId + "." + kind + ".jsonl");
    }

    /**
     * A session that keeps no trace in the databases it only reads (the REPL): its audit goes to the audit
     * file, and to mig_audit only for a statement that wrote to a database.
     */
    public void lookOnly(boolean lookOnly) {
        this.lookOnly = lookOnly;
    }

    /** Records one statement in the audit file and mig_audit, and which connections it wrote. */
    public void record(Stmt stmt, String version, StepResult result, String outcome, String message, Instant start,
            long millis) {
        boolean wrote = stmt instanceof Stmt.Sql ? !result.readOnly() : !Effects.of(stmt).writtenTables().isEmpty();
        if (wrote && !dryRun) {
            connections.wrote(Effects.writtenConnections(stmt));
        }
        audit().record(lookOnly && !wrote ? null : connections.state(), new AuditLog.Entry(version, dryRun, stmt,
                result.read(), result.written(), result.rejected(), result.digest(), outcome,
                message != null ? message : result.message(), start, millis));
    }

    private synchronized void closeRejects() {
        if (rejects != null) {
            rejects.close();
            rejects = null;
        }
    }

    void close() {
        closeRejects();
        if (audit != null) {
            audit.close();
        }
    }
}
