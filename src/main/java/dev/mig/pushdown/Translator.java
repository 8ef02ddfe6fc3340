package dev.mig.pushdown;

import dev.mig.data.Builtin;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.SqlExpr.Kind;
import dev.mig.syntax.Expr;
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
        return of(dialect.sql(), source, now);
    }

    /** The translator of a dialect's SQL (FunctionsInSqlTest asks both without a database). */
    public static Translator of(Dialect.Sql sql, TableInfo source, String now) {
        return switch (sql) {
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

    /** A map line's value as SQL, or the reason SQL cannot compute it exactly ({@link ExprSql#VALUE}). */
    public SqlExpr expr(Expr e) throws NotPushable {
        try {
            return e.accept(ExprSql.VALUE, this);
        } catch (ExprSql.Declined d) {
            throw d.reason;
        }
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

    /**
     * A call as SQL: every function of the language has its case here (the switch has no default), each one
     * written as SQL that FunctionsInSqlTest and PushdownTest prove equal to the evaluator, or declined.
     */
    SqlExpr call(Expr.Call c) throws NotPushable {
        Builtin fn = Builtin.of(c.function());
        if (fn == null) {
            throw new NotPushable("the function " + c.function().toLowerCase(Locale.ROOT) + "()");
        }
        List<SqlExpr> args = new ArrayList<>();
        if (fn != Builtin.NOW) {
            for (Expr arg : c.args()) {
                args.add(expr(arg));
            }
        }
        return switch (fn) {
            case NOW -> new SqlExpr(literal(now), Kind.TEXT, null);
            case COALESCE -> coalesce(args);
            case MD5 -> md5(text(args.get(0)));
            case UPPER, LOWER -> upperOrLower(fn.id(), text(args.get(0)));
            case UTC -> utc(args.get(0));
            case CONCAT -> concat(args);
            case TRIM, REPLACE, LENGTH, SHA256, UUID, JSON, AGE_DAYS, VECTOR, REQUIRED, DIMS, FLOAT32, UNPICKLE,
                    COUNT, FIRST_SEEN_DAYS, ANY, EVERY, MAX, MIN -> throw new NotPushable("the function " + fn.id() + "()");
        };
    }

    private static SqlExpr coalesce(List<SqlExpr> args) throws NotPushable {
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

    private SqlExpr concat(List<SqlExpr> args) throws NotPushable {
        List<String> parts = new ArrayList<>();
        String guard = null;
        for (SqlExpr a : args) {
            SqlExpr t = text(a);
            parts.add("COALESCE(" + t.sql() + ", '')");
            guard = SqlExpr.and(guard, t.guard());
        }
        return new SqlExpr("(" + String.join(" || ", parts) + ")", Kind.TEXT, guard);
    }

    /** A where condition as SQL, or the reason it stays in mig ({@link ExprSql#CONDITION}). */
    public SqlExpr condition(Expr e) throws NotPushable {
        try {
            return e.accept(ExprSql.CONDITION, this);
        } catch (ExprSql.Declined d) {
            throw d.reason;
        }
    }
}
