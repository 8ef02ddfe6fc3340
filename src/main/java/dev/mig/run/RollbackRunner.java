package dev.mig.run;

import dev.mig.MigException;
import dev.mig.Output;
import dev.mig.plan.RollbackPlan;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.resolve.Scripts;
import dev.mig.resolve.Versions;
import dev.mig.run.lifecycle.RollbackStep;
import dev.mig.run.session.RunException;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.state.History;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import java.util.List;

/**
 * mig rollback VERSION: restores the tables that version's backups cover (from mig_backups on its
 * state connection), re-applies the writes queued since each backup, and marks the version pending.
 */
public final class RollbackRunner {
    private RollbackRunner() {
    }

    public static boolean run(String version, List<ScriptSource> sources, RunOptions options) {
        Output out = options.output();
        for (Scripts.Resolved source : Scripts.inVersionOrder(sources)) {
            ParseResult parsed = source.parsed();
            Stmt.Migration header = source.header().orElse(null);
            if (header == null || Versions.compare(header.version(), version) != 0) {
                continue;
            }
            try (Session session = new Session(source.file(), options)) {
                session.version(header.version());
                ScriptRunner.openConnections(session, parsed.script());
                if (session.connections().state() == null) {
                    out.line(source.file() + ": no writable connection keeps mig_backups; nothing to roll back");
                    return false;
                }
                List<History.BackupTaken> backups = History.backups(session.connections().state(), header.version());
                StepResult result = new RollbackStep(session).run(backups, header.span(), RollbackPlan.writtenBy(parsed.script()));
                History.forget(session.connections().state(), header.version());
                session.outputs().record(header, session.version(), result, "rolled back", null, session.statementStart(), 0);
                out.line("migration " + header.version() + " rolled back: " + result.message() + "; it is pending again");
                return true;
            } catch (RunException e) {
                out.line(e.getMessage());
                return false;
            } catch (MigException e) {
                out.line(source.file() + ": " + e.getMessage());
                return false;
            }
        }
        out.line("no script with migration " + version + " among the files given");
        return false;
    }
}
