package dev.mig.run;

import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.db.DatabaseException;
import dev.mig.plan.Effects;
import dev.mig.run.lifecycle.BackupStep;
import dev.mig.run.lifecycle.CutoverStep;
import dev.mig.run.lifecycle.ForgetSteps;
import dev.mig.run.lifecycle.FreezeStep;
import dev.mig.run.lifecycle.PolicyStep;
import dev.mig.run.lifecycle.PruneStep;
import dev.mig.run.lifecycle.RemoveStep;
import dev.mig.run.lifecycle.ReplayStep;
import dev.mig.run.lifecycle.RollbackStep;
import dev.mig.run.map.MapStep;
import dev.mig.run.session.RunException;
import dev.mig.run.session.ScriptMemory;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.run.verify.AssertStep;
import dev.mig.run.verify.ChecksumStep;
import dev.mig.run.verify.DiffStep;
import dev.mig.run.verify.SampleStep;
import dev.mig.run.verify.TableDigest;
import dev.mig.state.History;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.time.Duration;
import java.time.Instant;

/**
 * Walks the statements of a script: each is dispatched to the class of its family, timed, printed
 * as one summary line and written to the audit log, whether it succeeds or fails.
 */
public final class Interpreter implements Stmt.Visitor<StepResult> {
    private final Session session;

    public Interpreter(Session session) {
        this.session = session;
    }

    public Session session() {
        return session;
    }

    private static final int ATTEMPTS = 5;
    /** Lost connections one statement survives (each within the reconnect window): a flapping server fails the run. */
    private static final int MAX_RECONNECTS = 10;

    /**
     * Runs one statement; a failure is a RunException positioned at the statement. A statement that
     * fails because the database was busy (a lock, a deadlock, a serialization failure) is rolled
     * back and run again: every statement is atomic or resumable, so running it again is safe.
     */
    public StepResult execute(Stmt stmt) {
        int reconnects = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return executeOnce(stmt, attempt == ATTEMPTS, reconnects == MAX_RECONNECTS);
            } catch (RunException e) {
                if (DatabaseException.isConnectionLost(e) && reconnects < MAX_RECONNECTS) {
                    reconnects++;
                    if (!new Reconnect(session).run(stmt, e)) {
                        throw e; // audited by Reconnect: the connection did not come back in time
                    }
                    attempt = 0; // the statement starts afresh on the new connection
                    continue;
                }
                if (attempt == ATTEMPTS || !DatabaseException.isTransient(e)) {
                    throw e;
                }
                session.out().line("line " + stmt.span().line() + ": the database was busy (" + e.reason()
                        + "); running the statement again (" + (attempt + 1) + " of " + ATTEMPTS + ")");
                if (ScriptRunner.debugging(session.options().environment())) {
                    session.out().line(ScriptRunner.trace(session, e));
                }
                try {
                    Thread.sleep(250L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private StepResult executeOnce(Stmt stmt, boolean lastAttempt, boolean lastReconnect) {
        session.statementStarted(stmt);
        Instant start = session.statementStart();
        try {
            StepResult result = stmt.accept(this);
            TableRef removedFrom = Effects.of(stmt).removesRows();
            if (removedFrom != null && !session.dryRun()) {
                session.memory().removed(new ScriptMemory.Removal(stmt.span().line(), stmt.keyword(),
                        stmt instanceof Stmt.BackupsOf ? "backups of " + removedFrom : removedFrom.toString(),
                        stmt instanceof Stmt.Archive a && a.selective() ? result.written() : result.read(), result.digest()));
            }
            long millis = Duration.between(start, Instant.now()).toMillis();
            commitAll();
            if (!(stmt instanceof Stmt.Migration)) {
                session.out().line(Summary.line(stmt, result, millis));
            }
            session.outputs().record(stmt, session.version(), result, "ok", null, start, millis);
            return result;
        } catch (RuntimeException e) {
            rollbackAll();
            RunException error = e instanceof RunException r ? r
                    : e instanceof MigException m ? session.error(stmt.span(), m)
                    : session.error(stmt.span(), "internal error: " + e, e);
            long millis = Duration.between(start, Instant.now()).toMillis();
            if (!lastAttempt && DatabaseException.isTransient(error)
                    || !lastReconnect && DatabaseException.isConnectionLost(error) && session.settings().reconnect() > 0) {
                throw error; // retried by execute; audited if the last attempt fails
            }
            try {
                session.outputs().record(stmt, session.version(), StepResult.of(null), "failed", error.reason(), start, millis);
            } catch (RuntimeException auditFailed) {
                error.addSuppressed(auditFailed);
            }
            throw error;
        }
    }

    private void commitAll() {
        for (Database db : session.connections().all().values()) {
            db.commit();
        }
    }

    private void rollbackAll() {
        for (Database db : session.connections().all().values()) {
            try {
                db.rollback();
            } catch (RuntimeException ignored) {
                // the original error matters
            }
        }
    }

    @Override
    public StepResult visitMigration(Stmt.Migration s) {
        session.version(s.historyKey());
        return StepResult.of(s.repeatable() ? "repeatable" : "version " + s.version());
    }

    @Override
    public StepResult visitConnect(Stmt.Connect s) {
        return new ConnectStep(session).run(s);
    }

    @Override
    public StepResult visitInventory(Stmt.Inventory s) {
        return new InventoryStep(session).run(s);
    }

    @Override
    public StepResult visitDiff(Stmt.Diff s) {
        return new DiffStep(session).run(s);
    }

    @Override
    public StepResult visitSql(Stmt.Sql s) {
        return new SqlStep(session).run(s);
    }

    @Override
    public StepResult visitBackup(Stmt.Backup s) {
        return new BackupStep(session).run(s);
    }

    @Override
    public StepResult visitRestore(Stmt.Restore s) {
        return new BackupStep.Restore(session).run(s);
    }

    @Override
    public StepResult visitFreeze(Stmt.Freeze s) {
        return new FreezeStep(session).run(s);
    }

    @Override
    public StepResult visitUnfreeze(Stmt.Unfreeze s) {
        return new FreezeStep.Unfreeze(session).run(s);
    }

    @Override
    public StepResult visitMapTable(Stmt.MapTable s) {
        return new MapStep(session).run(s);
    }

    @Override
    public StepResult visitMapField(Stmt.MapField s) {
        return new MapStep(session).run(s.asTableMap());
    }

    @Override
    public StepResult visitRollbackMap(Stmt.RollbackMap s) {
        if (session.connections().state() == null) {
            throw session.error(s.span(), "no writable connection keeps mig_maps: a rollback map needs one");
        }
        History.recordMap(session.connections().state(), s.map());
        return StepResult.of("recorded in mig_maps for mig rollback: " + s.map().source() + " -> " + s.map().target() + ", "
                + s.map().lines().size() + " lines");
    }

    @Override
    public StepResult visitCutover(Stmt.Cutover s) {
        return new CutoverStep(session).run(s);
    }

    @Override
    public StepResult visitReplay(Stmt.Replay s) {
        return new ReplayStep(session).run(s);
    }

    @Override
    public StepResult visitChecksum(Stmt.Checksum s) {
        return s.target() == null ? new TableDigest(session).run(s) : new ChecksumStep(session).run(s);
    }

    @Override
    public StepResult visitSample(Stmt.Sample s) {
        return new SampleStep(session).run(s);
    }

    @Override
    public StepResult visitAssert(Stmt.Assert s) {
        return new AssertStep(session).run(s);
    }

    @Override
    public StepResult visitArchive(Stmt.Archive s) {
        return s.selective() ? new PolicyStep(session).run(s) : new RemoveStep(session).run(s);
    }

    @Override
    public StepResult visitPurge(Stmt.Purge s) {
        return new RemoveStep.Purge(session).run(s);
    }

    @Override
    public StepResult visitBackupsOf(Stmt.BackupsOf s) {
        return new ForgetSteps(session).run(s);
    }

    @Override
    public StepResult visitReceipt(Stmt.Receipt s) {
        return new ForgetSteps.Receipt(session).run(s);
    }

    @Override
    public StepResult visitPrune(Stmt.Prune s) {
        return new PruneStep(session).run(s);
    }

    @Override
    public StepResult visitRollback(Stmt.Rollback s) {
        return new RollbackStep(session).run(s);
    }

    @Override
    public StepResult visitSet(Stmt.Set s) {
        return new SetStep(session).run(s);
    }

    @Override
    public StepResult visitTest(Stmt.Test s) {
        return new TestStep(session).run(s);
    }
}
