package dev.mig.run;

import dev.mig.db.Database;
import dev.mig.db.SqlScripts;
import dev.mig.run.session.Session;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** sql: raw SQL on one connection, the escape hatch. */
final class SqlStep {
    private static final java.util.regex.Pattern DDL = java.util.regex.Pattern.compile(
            "(?is)\\s*(--[^\\n]*\\s*)*(CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE)\\b");

    private final Session session;

    SqlStep(Session session) {
        this.session = session;
    }

    StepResult run(Stmt.Sql s) {
        Database db = session.db(s.conn(), s.connSpan());
        String sql = session.resolve(s.sql());
        List<String> statements = db.dialect().statements(sql);
        long changed = 0;
        int rows = 0;
        try (Statement statement = db.connection().createStatement()) {
            for (String one : statements) {
                boolean results = statement.execute(one);
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
            }
            db.schemaChanged();
            String what = statements.size() == 1 ? "" : statements.size() + " statements, ";
            boolean ddl = statements.stream().allMatch(one -> DDL.matcher(one).lookingAt());
            String effect = rows > 0 ? rows + " rows returned" : ddl ? "done" : changed + " rows changed";
            return new StepResult(rows, ddl ? 0 : changed, 0, null, what + effect);
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("SQL failed on '" + s.conn() + "'", e));
        }
    }
}
