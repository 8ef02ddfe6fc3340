package dev.mig.run.session;

import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.syntax.Expr;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code in (select v from conn.table where cond)}: the distinct values of v over the table's rows meeting
 * cond, read once (streamed; only the values are kept, so the set is as large as what it selects - one
 * user's memory ids, not a table).
 */
final class SelectValues {
    /** More values than this is not a selection but a table: refused rather than filling the memory. */
    static final int LIMIT = 5_000_000;

    private SelectValues() {
    }

    static Set<String> read(Session session, Expr.Select select) {
        Database db = session.connections().db(select.table());
        TableInfo table = session.connections().table(select.table());
        Evaluator evaluator = session.evaluator();
        Set<String> values = new HashSet<>();
        try {
            new TableReader(db, table).ordered(List.of(), row -> {
                if (select.where() == null || evaluator.test(select.where(), row)) {
                    Object v = evaluator.eval(select.value(), row);
                    if (v != null && values.add(Evaluator.setKey(v)) && values.size() > LIMIT) {
                        throw new EvalException("select from " + select.table() + " gives more than " + LIMIT
                                + " values; narrow its where");
                    }
                }
            }, session.settings().fetch());
        } catch (SQLException e) {
            throw new EvalException(db.error("cannot read " + select.table() + " for in (select ...)", e).getMessage());
        }
        return values;
    }
}
