package dev.mig.run;

import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.mem0.QdrantLocal;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;

/** connect: opens the connection (once; a script's connections may be opened before it runs). */
final class ConnectStep implements Step<Stmt.Connect> {
    private final Session session;

    ConnectStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Connect s) {
        if (!session.connections().has(s.name())) {
            open(session, s);
        }
        Database db = session.connections().all().get(s.name());
        return StepResult.of(db.kind() + " " + db.redactedUrl() + (db.readonly() ? " (readonly)" : "")
                + (session.dryRun() && !s.readonly() ? " (dry run: " + db.dialect().dryRunNote() + ")" : ""));
    }

    static void open(Session session, Stmt.Connect s) {
        String url = session.resolve(s.url());
        try {
            session.connections().add(Database.open(s.name(), url, s.readonly(), session.dryRun()));
        } catch (MigException e) {
            String qdrant = QdrantLocal.missing(url);
            throw qdrant != null ? session.error(s.span(), qdrant) : session.error(s.span(), e);
        }
    }
}
