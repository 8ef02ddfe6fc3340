package dev.mig.run.map;

import dev.mig.db.Database;
import dev.mig.pushdown.NotPushable;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.state.History;
import dev.mig.syntax.Stmt;

/**
 * map: compiles the map against its tables and runs it with one of the engine's strategies: in the
 * database as SQL per key range ({@link InDatabaseStrategy}), in key slices on worker connections
 * ({@link SlicedStrategy}), or streamed through mig in key-ordered pages ({@link StreamStrategy}).
 * Each reports through one {@link MapRun}: progress, resume point, counts.
 */
public final class MapStep implements Step<Stmt.MapTable> {
    private final Session session;

    public MapStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.MapTable map) {
        CompiledMap compiled = CompiledMap.compile(session, map);
        session.memory().rememberMap(map);
        session.memory().safety().mapped(map.source());
        if (session.connections().state() != null) {
            History.recordMap(session.connections().state(), map);
        }
        Database from = session.connections().db(map.source());
        Database to = session.connections().db(map.target());
        if (to.readonly()) {
            throw session.error(map.target().span(), "'" + to.name() + "' is connected readonly");
        }
        String note = "";
        try (MapRun run = new MapRun(session, compiled)) {
            if (session.settings().pushdown() && from == to && !map.keepExisting()) { // keep-existing compares row by row
                InDatabaseStrategy inDatabase = null;
                try {
                    inDatabase = new InDatabaseStrategy(run, to);
                } catch (NotPushable e) {
                    note = "; through mig, not as SQL in the database: " + e.getMessage();
                }
                if (inDatabase != null) {
                    return inDatabase.run();
                }
            }
            if (!map.keepExisting() && SlicedStrategy.applies(session, compiled, from, to)) {
                StepResult sliced = new SlicedStrategy(run, from, to).run();
                if (sliced != null) {
                    return sliced;
                }
            }
            return new StreamStrategy(run, from, to).run(note);
        }
    }
}

