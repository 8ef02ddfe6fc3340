package dev.mig.pushdown;

import dev.mig.data.Builtin;
import dev.mig.data.EvalException;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.Function;

/** mig's own functions inside a SQLite connection, computed by the evaluator's code, so pushed-down SQL gives what it gives. */
public final class SqliteFunctions {
    private SqliteFunctions() {
    }

    public static void register(Connection c) throws SQLException {
        Function.create(c, "mig_md5", text(Builtin.MD5), 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_upper", text(Builtin.UPPER), 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_lower", text(Builtin.LOWER), 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_utc", new ValueFunction() {
            @Override
            protected void xFunc() throws SQLException {
                Object utc = Builtin.UTC.apply(arg());
                if (utc == null) {
                    result();
                } else {
                    result((String) utc);
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_utc_ok", new ValueFunction() {
            @Override
            protected void xFunc() throws SQLException {
                try {
                    Builtin.UTC.apply(arg());
                    result(1);
                } catch (EvalException e) {
                    result(0);
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
    }

    /** A function of text to text, as the evaluator computes it. */
    private static Function text(Builtin f) {
        return new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String s = value_text(0);
                if (s == null) {
                    result();
                } else {
                    result((String) f.apply(s));
                }
            }
        };
    }

    /** A function of one argument, read as the evaluator reads a SQLite value. */
    private abstract static class ValueFunction extends Function {
        Object arg() throws SQLException {
            return switch (value_type(0)) {
                case 1 -> value_long(0);
                case 2 -> value_double(0);
                case 5 -> null;
                case 4 -> value_blob(0);
                default -> value_text(0);
            };
        }
    }
}
