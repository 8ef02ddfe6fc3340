package dev.mig.pushdown;

import dev.mig.data.EvalException;
import dev.mig.data.Timestamps;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.apache.commons.codec.digest.DigestUtils;
import org.sqlite.Function;

/** mig's own functions inside a SQLite connection, so pushed-down SQL computes what the evaluator does. */
public final class SqliteFunctions {
    private SqliteFunctions() {
    }

    public static void register(Connection c) throws SQLException {
        Function.create(c, "mig_md5", text(s -> DigestUtils.md5Hex(s.getBytes(StandardCharsets.UTF_8))), 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_upper", text(s -> s.toUpperCase(Locale.ROOT)), 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_lower", text(s -> s.toLowerCase(Locale.ROOT)), 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_utc", new ValueFunction() {
            @Override
            protected void xFunc() throws SQLException {
                String utc = Timestamps.utc(arg());
                if (utc == null) {
                    result();
                } else {
                    result(utc);
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
        Function.create(c, "mig_utc_ok", new ValueFunction() {
            @Override
            protected void xFunc() throws SQLException {
                try {
                    Timestamps.utc(arg());
                    result(1);
                } catch (EvalException e) {
                    result(0);
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
    }

    private interface TextFunction {
        String apply(String text);
    }

    private static Function text(TextFunction f) {
        return new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String s = value_text(0);
                if (s == null) {
                    result();
                } else {
                    result(f.apply(s));
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
