package dev.mig.run.lifecycle;

import dev.mig.db.Capture;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.FieldRef;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** prune: schema pruning of a table, a column, or a JSON key in every row. */
public final class PruneStep implements Step<Stmt.Prune> {
    private final Session session;

    public PruneStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Prune s) {
        FieldRef target = s.target();
        RemoveStep.guard(session, s, target.table(), s.force());
        Database db = session.connections().db(target.table());
        TableInfo table = session.connections().table(target.table());
        try {
            String digest = BackupStep.digest(db, table);
            String message;
            long changed = 0;
            try (Statement st = db.connection().createStatement()) {
                if (target.path().isEmpty()) {
                    Capture.remove(db, table.name());
                    st.execute("DROP TABLE " + db.dialect().table(table.name()));
                    message = "table " + target.table() + " dropped (it held digest " + digest + ")";
                } else {
                    Column column = table.column(target.column());
                    if (column == null) {
                        throw session.error(s.span(), target.table() + " has no column " + target.column());
                    }
                    if (target.path().size() == 1) {
                        st.execute("ALTER TABLE " + db.dialect().table(table.name()) + " DROP COLUMN " + db.dialect().quote(column.name()));
                        message = "column " + column.name() + " dropped from " + target.table();
                    } else {
                        changed = Capture.uncaptured(db, table, () -> (long) st.executeUpdate(removeKeySql(db, table, column,
                                target.jsonPath())));
                        message = "key " + String.join(".", target.jsonPath()) + " removed from " + column.name() + " in "
                                + changed + " rows";
                    }
                }
            }
            db.schemaChanged();
            return new StepResult(0, changed, 0, digest, message);
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("prune of " + target.source() + " failed", e));
        }
    }

    private static String removeKeySql(Database db, TableInfo table, Column column, List<String> path) {
        return db.dialect().removeJsonKey(table.name(), column, path);
    }
}
