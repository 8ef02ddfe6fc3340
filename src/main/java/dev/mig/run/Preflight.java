package dev.mig.run;

import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.offsite.Locations;
import dev.mig.plan.Effects;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.RunException;
import dev.mig.run.session.Session;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Exprs;
import dev.mig.syntax.Script;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import dev.mig.syntax.Text;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code mig run} proves before the first statement runs, so that a script fails before it
 * writes anything: every {@code ${VAR}} in it resolves, and every table a statement reads or writes
 * exists or is created by an earlier statement of the script; every map's names resolve against its
 * tables. Raw {@code sql} cannot be checked (the plan names it).
 */
final class Preflight {
    private static final Pattern CREATE = Pattern.compile(
            "(?i)\\bcreate\\s+(?:temp\\w*\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?(?:\"([^\"]+)\"|`([^`]+)`|([\\w.]+))");

    private Preflight() {
    }

    /** Every problem found, in script order (empty when the script may start). */
    static List<RunException> problems(Session session, Script script) {
        List<RunException> out = new ArrayList<>();
        for (Stmt stmt : script.statements()) {
            texts(session, stmt, out);
        }
        if (!out.isEmpty()) {
            return out; // table names may depend on what the variables say
        }
        objectStores(session, script, out);
        LocalStores.check(session, script, out);
        Set<String> created = new HashSet<>();
        List<Stmt.Sql> sqlSoFar = new ArrayList<>();
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Sql sql) {
                sqlSoFar.add(sql);
                Matcher m = CREATE.matcher(session.resolve(sql.sql()));
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                    created.add(key(sql.conn(), name.contains(".") && m.group(3) != null ? name.substring(name.lastIndexOf('.') + 1) : name));
                }
                continue;
            }
            Effects effects = Effects.of(stmt);
            // restore makes a dropped table from its manifest, archive its table when missing
            effects.created().forEach(table -> created.add(key(table.conn(), table.table())));
            boolean allThere = true;
            for (TableRef table : effects.tables()) {
                if (created.contains(key(table.conn(), table.table())) || mentionedBySql(sqlSoFar, table)) {
                    allThere = false;
                    continue;
                }
                try {
                    Database db = session.connections().db(table);
                    if (db.describe(table.table()) == null) {
                        allThere = false;
                        if (!effects.toleratesMissing()) {
                            session.connections().table(table); // the error every statement gives for a missing table
                        }
                    }
                } catch (RunException e) {
                    out.add(e);
                    allThere = false;
                }
            }
            if (allThere && stmt.tableMap() != null) {
                try {
                    CompiledMap.compile(session, stmt.tableMap()); // every name of the map, against the real tables
                } catch (RunException e) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /**
     * Every s3:// location a statement writes or reads: the bucket is reachable with the credentials found,
     * checked once per bucket before any data is read (a wrong key or a missing bucket is one clear error).
     */
    private static void objectStores(Session session, Script script, List<RunException> out) {
        Set<String> checked = new HashSet<>();
        for (Text location : script.statements().stream().flatMap(stmt -> Effects.of(stmt).locations().stream()).toList()) {
            String resolved = session.resolve(location);
            if (!Locations.isObject(resolved)) {
                continue;
            }
            String bucket = resolved.substring(5).split("/", 2)[0];
            if (!checked.add(bucket)) {
                continue;
            }
            try {
                Locations.checkReachable(resolved, session.options().environment());
            } catch (MigException e) {
                out.add(session.error(location.span(), e.getMessage() + "; nothing was read or written"));
            }
        }
    }

    /** An earlier sql statement on the connection names the table: it may create or rename it. */
    private static boolean mentionedBySql(List<Stmt.Sql> sql, TableRef table) {
        Pattern word = Pattern.compile("(?i)(?<![\\w])" + Pattern.quote(table.table()) + "(?![\\w])");
        return sql.stream().anyMatch(s -> s.conn().equals(table.conn()) && word.matcher(s.sql().value()).find());
    }

    private static String key(String conn, String table) {
        return conn + "." + table.toLowerCase(Locale.ROOT);
    }

    /** Resolves every string of the statement (and the string literals of its expressions). */
    private static void texts(Session session, Object node, List<RunException> out) {
        if (node == null) {
            return;
        }
        if (node instanceof Text text) {
            try {
                session.resolve(text);
            } catch (RunException e) {
                out.add(e);
            }
        } else if (node instanceof Expr e) {
            Exprs.walk(e, x -> {
                if (x instanceof Expr.Literal l && l.value() instanceof String s && s.contains("${")) {
                    texts(session, new Text(s, false, l.span()), out);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> texts(session, item, out));
        } else if (node instanceof Record record && !(node instanceof Span) && !(node instanceof TableRef)) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                try {
                    texts(session, c.getAccessor().invoke(record), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
