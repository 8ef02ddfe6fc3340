package dev.mig.pushdown;

import dev.mig.data.LogicalType;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.pushdown.SqlExpr.Kind;
import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL of a map that runs inside its database: one statement per key range that writes every
 * row whose guard holds, plus the conditions that pick the rows left to the evaluator and the rows
 * the where leaves out. Built only when every expression translates exactly. What differs between
 * PostgreSQL and SQLite (casts, JSON functions, the one-pass statement) is in {@link PgMapSql} and
 * {@link SqliteMapSql}.
 */
public abstract class MapSql {
    /** The statement of one key range, and the conditions the engine needs beside it. */
    public record Statement(String sql, String evaluatorRows, String leftOut, List<String> rangeKey, boolean combined) {
        /**
         * Rows written by SQL for a key range (?RANGE stands for the range condition). When {@code combined}
         * (PostgreSQL) it is one query that writes the rows and returns how many, how many the where left
         * out, and the keys left to the evaluator (JSON); otherwise {@code evaluatorRows} is the condition
         * (over the source) of rows the evaluator must handle and {@code leftOut} that of rows the where
         * leaves out (null without a where).
         */
        public Statement {
            rangeKey = List.copyOf(rangeKey);
        }
    }

    protected final MapShape map;
    protected final Translator t;

    protected MapSql(MapShape map, Translator t) {
        this.map = map;
        this.t = t;
    }

    /** The map's statement on this database, or NotPushable with the reason it stays in the evaluator. */
    public static Statement build(MapShape map, Database db, String now) throws NotPushable {
        TableInfo source = map.source();
        if (source.primaryKey().isEmpty()) {
            throw new NotPushable(source.name() + " has no primary key to split it into key ranges");
        }
        if (!map.inPlace() && map.mode() != RowWriter.Mode.UPSERT) {
            throw new NotPushable("the key of " + map.target().name() + " is not unique");
        }
        Translator t = Translator.of(db.dialect(), source, now);
        MapSql sql = switch (db.dialect().sql()) {
            case POSTGRES -> new PgMapSql(map, t);
            case SQLITE -> new SqliteMapSql(map, t);
        };
        return sql.statement(db);
    }

    private Statement statement(Database db) throws NotPushable {
        TableInfo target = map.target();
        String guard = null;
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String column : map.written()) {
            List<MapShape.Line> lines = map.lines(column);
            if (lines == null) {
                continue; // an in-place key column: not written
            }
            Column c = target.column(column);
            SqlExpr v;
            if (lines.size() == 1 && lines.get(0).path().isEmpty() && !lines.get(0).star()) {
                v = convert(line(lines.get(0).line()), c);
            } else {
                v = json(column, lines);
            }
            guard = SqlExpr.and(guard, v.guard());
            columns.add(t.quote(c.name()));
            values.add(v.sql());
        }
        SqlExpr where = map.map().where() == null ? null : t.condition(map.map().where());
        String whereSql = where == null ? "TRUE" : where.sql();
        String whereGuard = where == null || where.guard() == null ? "TRUE" : where.guard();
        guard = SqlExpr.and(whereGuard.equals("TRUE") ? null : whereGuard, guard);
        return statement(db.dialect().table(target.name()), db.dialect().table(map.source().name()), columns, values,
                whereSql, whereGuard, guard);
    }

    /** The statement that writes {@code columns} = {@code values} for the rows of one key range. */
    protected abstract Statement statement(String table, String from, List<String> columns, List<String> values,
                                           String whereSql, String whereGuard, String guard);

    /** A value cast to the column's declared type where the database needs it. */
    protected abstract SqlExpr storedAs(SqlExpr v, String declared);

    /** A JSON value written whole into a column, or null when only the evaluator can. */
    protected abstract SqlExpr jsonColumn(SqlExpr v, Column c);

    /** Whether path lines can build an object in this column. */
    protected abstract boolean holdsJsonObject(Column c);

    /** {@code then} when {@code value} is a JSON object, else an empty object. */
    protected abstract String objectOrEmpty(String value, String then);

    /** The condition that {@code value} is valid JSON (or null), where text columns may hold anything. */
    protected abstract String validJson(String value);

    protected abstract String withoutKeys(String object, Set<String> keys);

    protected abstract String emptyObject();

    protected abstract String keyLiteral(String key);

    /** {@code base} with each key set to its value; a null value removes its key, as in the evaluator. */
    protected abstract String withKeys(String base, Set<String> keys, List<String> pairs);

    /** A value as it goes into a JSON object; objects and arrays are left to the evaluator (nested nulls). */
    protected abstract SqlExpr jsonValue(SqlExpr v) throws NotPushable;

    protected void upsert(StringBuilder sql, List<String> columns) {
        sql.append(" ON CONFLICT (").append(String.join(", ", map.key().stream().map(t::quote).toList())).append(") DO UPDATE SET ");
        List<String> sets = new ArrayList<>();
        for (String column : columns) {
            sets.add(column + " = excluded." + column);
        }
        sql.append(String.join(", ", sets)); // key columns included: every row counts as written
    }

    /** A whole-value line: its expression, with its default when null; casts stay in the evaluator. */
    protected SqlExpr line(Stmt.MapLine line) throws NotPushable {
        SqlExpr v = t.expr(line.source());
        if (line.type() != null) {
            v = t.cast(v, line.type());
        }
        if (line.fallback() == null) {
            return v;
        }
        SqlExpr d = t.expr(line.fallback());
        if (line.type() != null) {
            d = t.cast(d, line.type());
        }
        if (v.kind() != d.kind() && d.kind() != Kind.NULL && v.kind() != Kind.NULL || v.kind() == Kind.COLUMN) {
            throw new NotPushable("a default of another kind than its value");
        }
        return new SqlExpr("COALESCE(" + v.sql() + ", " + d.sql() + ")", v.kind() == Kind.NULL ? d.kind() : v.kind(),
                SqlExpr.and(v.guard(), d.guard()), v.declared());
    }

    /** The value as the target column stores it, as Convert.to would make it. */
    private SqlExpr convert(SqlExpr v, Column c) throws NotPushable {
        String declared = c.declaredType();
        String castTo = c.castType(); // a CAST to varchar(5) would cut longer text: the column refuses it instead
        switch (v.kind()) {
            case NULL:
                return new SqlExpr("NULL", Kind.NULL, null);
            case COLUMN:
                if (v.declared() != null && v.declared().equalsIgnoreCase(declared)) {
                    return v;
                }
                break;
            case TEXT:
                if (c.type() == LogicalType.TEXT || c.type() == LogicalType.TIMESTAMP) {
                    return storedAs(v, castTo);
                }
                break;
            case INTEGER:
                if (c.type() == LogicalType.INTEGER || c.type() == LogicalType.FLOAT) {
                    return storedAs(v, castTo);
                }
                if (c.type() == LogicalType.TEXT) {
                    return storedAs(new SqlExpr("CAST(" + v.sql() + " AS TEXT)", Kind.TEXT, v.guard()), castTo);
                }
                break;
            case TIMESTAMP:
                if (c.type() == LogicalType.TIMESTAMP) {
                    return storedAs(v, castTo);
                }
                if (c.type() == LogicalType.TEXT) {
                    return storedAs(t.text(v), castTo);
                }
                break;
            case JSON:
                if (c.type() == LogicalType.TEXT || c.type() == LogicalType.TIMESTAMP) {
                    return storedAs(t.text(v), castTo);
                }
                SqlExpr json = jsonColumn(v, c);
                if (json != null) {
                    return json;
                }
                break;
            default:
                break;
        }
        throw new NotPushable("a " + v.kind().name().toLowerCase(Locale.ROOT) + " value into " + c.name() + " " + declared);
    }

    protected static String textArray(Set<String> keys) {
        return "ARRAY[" + String.join(", ", keys.stream().map(k -> "'" + k.replace("'", "''") + "'").toList()) + "]::text[]";
    }

    /** A JSON column built from path lines (one level), over the row's own object in place or a col.* copy. */
    private SqlExpr json(String column, List<MapShape.Line> lines) throws NotPushable {
        Column c = map.target().column(column);
        if (!holdsJsonObject(c)) {
            throw new NotPushable("JSON paths into " + column + " " + c.declaredType());
        }
        Set<String> keys = new LinkedHashSet<>();
        String star = null;
        for (MapShape.Line line : lines) {
            if (line.star()) {
                if (star != null || map.inPlace()) {
                    throw new NotPushable("this col.* line");
                }
                star = line.starSource();
            } else if (line.path().isEmpty()) {
                throw new NotPushable("a whole-column line together with path lines");
            } else if (line.path().size() > 1 || !keys.add(line.path().get(0))) {
                throw new NotPushable("the path " + column + "." + String.join(".", line.path()));
            }
        }
        String guard = null;
        String base;
        String self = t.quote(column);
        if (map.inPlace()) {
            base = objectOrEmpty(self, self);
            guard = validJson(self);
        } else if (star != null) {
            Column from = map.source().column(star);
            String src = t.quote(from.name());
            if (!holdsJsonObject(from)) {
                throw new NotPushable(star + ".* from a " + from.declaredType() + " column");
            }
            String removed = keys.isEmpty() ? src : withoutKeys(src, keys);
            base = objectOrEmpty(src, removed);
            guard = validJson(src);
        } else {
            base = emptyObject();
        }
        if (keys.isEmpty()) {
            return new SqlExpr(base, Kind.JSON, guard);
        }
        List<String> pairs = new ArrayList<>();
        for (MapShape.Line line : lines) {
            if (line.path().isEmpty()) {
                continue;
            }
            SqlExpr v = jsonValue(line(line.line()));
            guard = SqlExpr.and(guard, v.guard());
            pairs.add(keyLiteral(line.path().get(0)));
            pairs.add(v.sql());
        }
        return new SqlExpr(withKeys(base, keys, pairs), Kind.JSON, guard);
    }
}
