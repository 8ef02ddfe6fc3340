package dev.mig.pushdown;

import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.SqlExpr.Kind;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Printer;
import dev.mig.syntax.QName;
import dev.mig.syntax.Types;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Translates map expressions into SQL that computes exactly what mig's evaluator computes. What
 * cannot be made exact is not translated (NotPushable), and what is exact only for some values
 * carries a guard; the dialects supply the SQL for columns, JSON paths and functions.
 */
public abstract class Translator {
    protected final TableInfo source;
    private final String now;
    private final List<Binding> bindings = new ArrayList<>();
    private final List<Binding> inputs = new ArrayList<>();

    /**
     * A value computed once per row in a derived table (level 1 reads the source row, level n
     * also the bindings of lower levels), so SQL that uses it several times does not recompute it.
     */
    public record Binding(String name, String sql, int level) {
    }

    protected Translator(TableInfo source, String now) {
        this.source = source;
        this.now = now;
    }

    public static Translator of(Dialect dialect, TableInfo source, String now) {
        return switch (dialect.sql()) {
            case POSTGRES -> new PgTranslator(source, now);
            case SQLITE -> new SqliteTranslator(source, now);
        };
    }

    /**
     * Readies a connection for translated SQL: SQLite gets mig's functions (utc, md5, ...) registered;
     * PostgreSQL must store text as UTF-8, or its text functions would not compute what mig computes.
     */
    public static void prepare(Database db) throws SQLException, NotPushable {
        switch (db.dialect().sql()) {
            case SQLITE -> SqliteFunctions.register(db.connection());
            case POSTGRES -> {
                try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery("SHOW server_encoding")) {
                    rs.next();
                    if (!"UTF8".equalsIgnoreCase(rs.getString(1))) {
                        throw new NotPushable("the database encoding is " + rs.getString(1) + ", not UTF8");
                    }
                }
            }
        }
    }

    /** A quoted identifier (both dialects quote alike). */
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Bindings in the order they were made (levels ascending within their dependencies). */
    public List<Binding> bindings() {
        return bindings;
    }

    /** Inputs: cheap SQL over the source row that cannot fail, computed once per row before any guard. */
    public List<Binding> inputs() {
        return inputs;
    }

    /** A name for an input (see {@link #inputs()}); guards may use it. */
    protected String bindInput(String sql) {
        String name = quote("mig$i" + (inputs.size() + 1));
        int level = 0;
        for (Binding b : inputs) {
            if (sql.contains(b.name())) {
                level = Math.max(level, b.level());
            }
        }
        inputs.add(new Binding(name, sql, level + 1));
        return name;
    }

    /** A name for a value computed once per row, only for rows whose guards hold; guards must not use it. */
    protected String bind(String sql) {
        String name = quote("mig$b" + (bindings.size() + 1));
        bindings.add(new Binding(name, sql, level(sql) + 1));
        return name;
    }

    /** The highest binding level an SQL text refers to, 0 when none. */
    public int level(String sql) {
        int level = 0;
        for (Binding b : bindings) {
            if (sql.contains(b.name())) {
                level = Math.max(level, b.level());
            }
        }
        return level;
    }

    /** Fails when a guard would need a computed value: guards are checked on the source row. */
    protected String guardOver(String sql) throws NotPushable {
        if (level(sql) > 0) {
            throw new NotPushable("a check on a computed value");
        }
        return sql;
    }

    /** A source column as SQL (statements read one source table, so names need no qualifier). */
    protected String ref(Column c) {
        return quote(c.name());
    }

    protected abstract SqlExpr column(Column c);

    protected abstract SqlExpr path(Column c, List<String> path) throws NotPushable;

    /** The value as text the evaluator would see (Values.text), with its guard. */
    public abstract SqlExpr text(SqlExpr value) throws NotPushable;

    /** A SQLite JSON path literal for object keys. */
    public static String sqlitePath(List<String> keys) {
        return SqliteTranslator.jsonPath(keys);
    }

    protected abstract SqlExpr md5(SqlExpr text);

    protected abstract SqlExpr upperOrLower(String function, SqlExpr text) throws NotPushable;

    protected abstract SqlExpr utc(SqlExpr value) throws NotPushable;

    protected abstract String literal(String text);

    public SqlExpr expr(Expr e) throws NotPushable {
        if (e instanceof Expr.Literal l) {
            Object v = l.value();
            if (v == null) {
                return new SqlExpr("NULL", Kind.NULL, null);
            }
            if (v instanceof String s) {
                if (s.contains("${")) {
                    throw new NotPushable("a ${...} variable in a literal");
                }
                return new SqlExpr(literal(s), Kind.TEXT, null);
            }
            if (v instanceof Long n) {
                return new SqlExpr("CAST(" + n + " AS BIGINT)", Kind.INTEGER, null);
            }
            throw new NotPushable("the literal " + v);
        }
        if (e instanceof QName q) {
            if (q.star()) {
                throw new NotPushable(q.source());
            }
            Column c = source.column(q.first());
            if (c == null) {
                throw new NotPushable("no column " + q.first());
            }
            if (q.size() == 1) {
                return column(c);
            }
            for (String part : q.parts().subList(1, q.size())) {
                if (part.matches("-?[0-9]+")) {
                    throw new NotPushable("the JSON path " + q.source() + " could index an array in SQL");
                }
            }
            return path(c, q.parts().subList(1, q.size()));
        }
        if (e instanceof Expr.Call c) {
            return call(c);
        }
        if (e instanceof Expr.Binary b && b.op().equals("||")) {
            SqlExpr left = text(expr(b.left()));
            SqlExpr right = text(expr(b.right()));
            return new SqlExpr("(" + left.sql() + " || " + right.sql() + ")", Kind.TEXT, SqlExpr.and(left.guard(), right.guard()));
        }
        if (e instanceof Expr.Cast c) {
            return cast(expr(c.operand()), c.type());
        }
        throw new NotPushable("the expression " + Printer.expr(e));
    }

    /** {@code value as type}, where SQL gives what Casts.to gives: no-ops, text of values, timestamps. */
    public SqlExpr cast(SqlExpr v, String type) throws NotPushable {
        String t = Types.canonical(type);
        if (t == null || v.kind() == Kind.NULL) {
            if (t == null) {
                throw new NotPushable("the type " + type);
            }
            return v;
        }
        if ((t.equals("int") || t.equals("bigint")) && v.kind() == Kind.INTEGER) {
            return v;
        }
        if (t.equals("text") && v.kind() != Kind.COLUMN) {
            return text(v);
        }
        if (t.equals("timestamp")) {
            return utc(v);
        }
        throw new NotPushable("the cast 'as " + type + "'");
    }

    private SqlExpr call(Expr.Call c) throws NotPushable {
        String name = c.function().toLowerCase(Locale.ROOT);
        List<SqlExpr> args = new ArrayList<>();
        if (!name.equals("now")) {
            for (Expr arg : c.args()) {
                args.add(expr(arg));
            }
        }
        switch (name) {
            case "now":
                return new SqlExpr(literal(now), Kind.TEXT, null);
            case "coalesce": {
                Kind kind = Kind.NULL;
                String guard = null;
                List<String> parts = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (SqlExpr a : args) {
                    if (a.kind() == Kind.JSON && a.declared() != null) {
                        types.add("CASE WHEN " + a.sql() + " IS NOT NULL THEN " + a.declared() + " END");
                    }
                    if (a.kind() != Kind.NULL) {
                        if (kind != Kind.NULL && kind != a.kind() || a.kind() == Kind.COLUMN) {
                            throw new NotPushable("coalesce over values of different kinds");
                        }
                        kind = a.kind();
                    }
                    guard = SqlExpr.and(guard, a.guard());
                    parts.add(a.sql());
                }
                String jsonType = kind == Kind.JSON && types.size() == args.size() ? "COALESCE(" + String.join(", ", types) + ")" : null;
                return new SqlExpr("COALESCE(" + String.join(", ", parts) + ")", kind, guard, jsonType);
            }
            case "md5":
                return md5(text(args.get(0)));
            case "upper", "lower":
                return upperOrLower(name, text(args.get(0)));
            case "utc":
                return utc(args.get(0));
            case "concat": {
                List<String> parts = new ArrayList<>();
                String guard = null;
                for (SqlExpr a : args) {
                    SqlExpr t = text(a);
                    parts.add("COALESCE(" + t.sql() + ", '')");
                    guard = SqlExpr.and(guard, t.guard());
                }
                return new SqlExpr("(" + String.join(" || ", parts) + ")", Kind.TEXT, guard);
            }
            default:
                throw new NotPushable("the function " + name + "()");
        }
    }

    /**
     * A where condition with the evaluator's three-valued logic; only forms that cannot fail for
     * a row (null tests, and/or/not, text equality) are translated. The guard covers how the
     * operands read (e.g. a SQLite column that must hold JSON text).
     */
    public SqlExpr condition(Expr e) throws NotPushable {
        if (e instanceof Expr.IsNull n) {
            SqlExpr v = expr(n.operand());
            if (v.guard() != null && !(n.operand() instanceof QName)) {
                throw new NotPushable("the condition " + Printer.expr(e));
            }
            return new SqlExpr("(" + v.sql() + (n.negated() ? " IS NOT NULL)" : " IS NULL)"), Kind.BOOLEAN, v.guard());
        }
        if (e instanceof Expr.Binary b && (b.op().equals("and") || b.op().equals("or"))) {
            SqlExpr left = condition(b.left());
            SqlExpr right = condition(b.right());
            return new SqlExpr("(" + left.sql() + " " + b.op().toUpperCase(Locale.ROOT) + " " + right.sql() + ")", Kind.BOOLEAN,
                    SqlExpr.and(left.guard(), right.guard()));
        }
        if (e instanceof Expr.Unary u && u.op().equals("not")) {
            SqlExpr inner = condition(u.operand());
            return new SqlExpr("(NOT " + inner.sql() + ")", Kind.BOOLEAN, inner.guard());
        }
        if (e instanceof Expr.Binary b && (b.op().equals("=") || b.op().equals("!="))) {
            SqlExpr left = expr(b.left());
            SqlExpr right = expr(b.right());
            if (left.kind() == Kind.TEXT && right.kind() == Kind.TEXT) {
                return new SqlExpr("(" + left.sql() + (b.op().equals("=") ? " = " : " <> ") + right.sql() + ")", Kind.BOOLEAN,
                        SqlExpr.and(left.guard(), right.guard()));
            }
        }
        throw new NotPushable("the condition " + Printer.expr(e));
    }
}
