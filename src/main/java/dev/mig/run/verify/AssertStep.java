package dev.mig.run.verify;

import dev.mig.data.Builtin;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.session.Keys;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Printer;
import dev.mig.syntax.QName;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** assert: count(...), none ... where ..., and comparisons; a failure stops the run with the values seen. */
public final class AssertStep implements Step<Stmt.Assert> {
    private final Session session;

    public AssertStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Assert s) {
        if (s.assertion() instanceof Stmt.Assertion.None none) {
            return none(s, none);
        }
        Expr condition = ((Stmt.Assertion.Holds) s.assertion()).condition();
        Evaluator evaluator = session.evaluator((call, row) -> {
            if (Builtin.of(call.function()) != Builtin.COUNT) {
                throw new EvalException(call.function() + "(...) is allowed in archive ... where only");
            }
            return count(call);
        });
        Row empty = Row.of(Map.of());
        try {
            if (evaluator.test(condition, empty)) {
                return StepResult.of("holds");
            }
            String detail = "";
            if (condition instanceof Expr.Binary b && !b.op().equals("and") && !b.op().equals("or")) {
                detail = " (" + Printer.expr(b.left()) + " is " + Values.describe(evaluator.eval(b.left(), empty)) + ", "
                        + Printer.expr(b.right()) + " is " + Values.describe(evaluator.eval(b.right(), empty)) + ")";
            }
            throw session.error(s.span(), "assert failed: " + Printer.expr(condition) + detail);
        } catch (EvalException e) {
            throw session.error(s.span(), "assert could not be evaluated: " + e.getMessage(), e);
        }
    }

    private Object count(Expr.Call call) {
        QName q = (QName) call.args().get(0);
        TableRef ref = new TableRef(q.parts().get(0), q.parts().get(1), q.span());
        Database db = session.connections().db(ref);
        TableInfo table = session.connections().table(ref);
        try {
            if (call.where() == null) {
                String sql = "SELECT count(*) FROM " + db.dialect().table(table.name());
                try (PreparedStatement ps = db.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
            Evaluator evaluator = session.evaluator();
            long[] n = {0};
            new TableReader(db, table).ordered(List.of(), row -> {
                if (evaluator.test(call.where(), row)) {
                    n[0]++;
                }
            }, session.settings().fetch());
            return n[0];
        } catch (SQLException e) {
            throw session.error(call.span(), db.error("cannot count " + ref, e));
        }
    }

    private StepResult none(Stmt.Assert s, Stmt.Assertion.None none) {
        Database db = session.connections().db(none.table());
        TableInfo table = session.connections().table(none.table());
        Evaluator evaluator = session.evaluator();
        long[] seen = {0, 0};
        Row[] first = {null};
        try {
            new TableReader(db, table).everyRow(row -> { // short reads: mem0 keeps committing meanwhile
                seen[0]++;
                if (none.where() == null || evaluator.test(none.where(), row)) {
                    seen[1]++;
                    if (first[0] == null) {
                        first[0] = row;
                    }
                }
            }, session.settings().batch());
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("cannot read " + none.table(), e));
        } catch (EvalException e) {
            throw session.error(s.span(), "assert could not be evaluated: " + e.getMessage(), e);
        }
        if (seen[1] > 0) {
            throw session.error(s.span(), "assert failed: " + seen[1] + " row" + (seen[1] == 1 ? "" : "s") + " of "
                    + none.table() + (none.where() == null ? "" : " where " + Printer.expr(none.where()))
                    + ", e.g. " + Keys.describe(table, first[0]));
        }
        return new StepResult(seen[0], 0, 0, null, "holds (" + seen[0] + " rows checked)");
    }
}
