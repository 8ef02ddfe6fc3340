package dev.mig.run;

import dev.mig.db.Database;
import dev.mig.run.session.RowTable;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** sql: raw SQL on one connection, the escape hatch. */
final class SqlStep implements Step<Stmt.Sql> {
    private static final Pattern DDL = Pattern.compile(
            "(?is)\\s*(--[^\\n]*\\s*)*(CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE)\\b");

    private final Session session;

    SqlStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Sql s) {
        Database db = session.connections().db(s.conn(), s.connSpan());
        String sql = session.resolve(s.sql());
        List<String> statements = db.dialect().statements(sql);
        long changed = 0;
        int rows = 0;
        boolean queriesOnly = true;
        try (Statement statement = db.connection().createStatement()) {
            for (String one : statements) {
                boolean results = statement.execute(one);
                while (true) {
                    if (results) {
                        try (var rs = statement.getResultSet()) {
                            rows += show(rs);
                        }
                    } else {
                        int count = statement.getUpdateCount();
                        if (count == -1) {
                            break;
                        }
                        queriesOnly = false; // an update count: it wrote (or could have)
                        changed += count;
                    }
                    results = statement.getMoreResults();
                }
            }
            db.schemaChanged();
            String what = statements.size() == 1 ? "" : statements.size() + " statements, ";
            boolean ddl = statements.stream().allMatch(one -> DDL.matcher(one).lookingAt());
            String effect = rows > 0 ? rows + " rows returned" : ddl ? "done" : changed + " rows changed";
            boolean queries = statements.stream().noneMatch(one -> DDL.matcher(one).lookingAt()) && changed == 0 && queriesOnly;
            return new StepResult(rows, ddl ? 0 : changed, 0, null, what + effect, queries);
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("SQL failed on '" + s.conn() + "'", e));
        }
    }

    /** Prints the first {@code set rows N} rows of a query's result as a table; returns how many rows it had. */
    private int show(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        int limit = session.settings().rows();
        List<List<Object>> shown = new ArrayList<>();
        int total = 0;
        while (rs.next()) {
            total++;
            if (shown.size() < limit) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getObject(i));
                }
                shown.add(row);
            }
        }
        for (String line : RowTable.lines(columns, shown, total, session.settings().expanded())) {
            session.out().line(line);
        }
        return total;
    }
}
