package dev.mig.run;

import dev.mig.db.Database;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.sql.Statement;

/** sql: raw SQL on one connection, the escape hatch. */
final class SqlStep {
    private final Session session;

    SqlStep(Session session) {
        this.session = session;
    }

    StepResult run(Stmt.Sql s) {
        Database db = session.db(s.conn(), s.connSpan());
        String sql = session.resolve(s.sql());
        try (Statement statement = db.connection().createStatement()) {
            boolean results = statement.execute(sql);
            long changed = 0;
            int rows = 0;
            while (true) {
                if (results) {
                    try (var rs = statement.getResultSet()) {
                        while (rs.next()) {
                            rows++;
                        }
                    }
                } else {
                    int count = statement.getUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    changed += count;
                }
                results = statement.getMoreResults();
            }
            db.schemaChanged();
            return new StepResult(rows, changed, 0, null, rows > 0 ? rows + " rows returned" : changed + " rows changed");
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("SQL failed on '" + s.conn() + "'", e).getMessage());
        }
    }
}
