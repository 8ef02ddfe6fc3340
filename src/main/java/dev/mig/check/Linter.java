package dev.mig.check;

import dev.mig.plan.Effects;
import dev.mig.plan.Prelude;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.EditDistance;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Lexeme;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.QName;
import dev.mig.syntax.Script;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import dev.mig.syntax.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Static checks of a parsed script, no database needed: names, order, guards on destructive
 * statements, map blocks, functions and settings.
 */
public final class Linter {
    private final String file;
    private final List<Diagnostic> out = new ArrayList<>();
    private final Map<String, Stmt.Connect> declared = new HashMap<>();
    private final Map<String, Stmt.Connect> allConnects = new HashMap<>();
    private final Set<String> brokenConnects;
    private final Guards guards = new Guards();
    private final Set<String> frozen = new HashSet<>();
    private final Set<String> mapped = new HashSet<>();

    private final ExpressionRules expressionRules = new ExpressionRules(this);

    private Linter(String file, Set<String> brokenConnects) {
        this.file = file;
        this.brokenConnects = brokenConnects;
    }

    /**
     * Syntax errors followed by lint findings, in source order, each with its rule id; a warning whose
     * rule a {@code -- mig:ignore RULE} comment names on the line before (or on its own line) is left out.
     */
    public static List<Diagnostic> check(ParseResult parsed) {
        List<Diagnostic> all = new ArrayList<>();
        parsed.errors().forEach(d -> all.add(d.withRule(Rule.SYNTAX.id())));
        all.addAll(lint(parsed.script(), parsed.brokenConnects(), parsed.ok()));
        all.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
        return Ignores.apply(parsed.script().source(), all);
    }

    static List<Diagnostic> lint(Script script, Set<String> brokenConnects, boolean parsedCleanly) {
        Linter linter = new Linter(script.file(), brokenConnects);
        for (Stmt.Connect c : Prelude.of(script).connections()) {
            linter.allConnects.putIfAbsent(c.name(), c);
        }
        linter.header(script, parsedCleanly);
        for (Stmt stmt : script.statements()) {
            linter.statement(stmt);
        }
        ReviewRules.check(script, linter);
        linter.awsKeys(script.source());
        return linter.out;
    }

    /** AWS access keys (AKIA/ASIA...), a secret key's name, or user info in an s3:// URI, in any string of the script. */
    private static final Pattern AWS_KEY = Pattern.compile(
            "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b|(?i:aws_secret_access_key|aws_access_key_id)\\s*[=:]\\s*[^$\\s]|(?i:s3)://[^/@\\s]*@");

    private void awsKeys(String source) {
        if (source == null) {
            return;
        }
        for (Lexeme lexeme : Syntax.lex(source)) {
            if (lexeme.kind() == Lexeme.Kind.STRING && AWS_KEY.matcher(lexeme.text()).find()) {
                warning(Rule.AWS_KEY_IN_SCRIPT, lexeme.span(), "an AWS key is written in the script: mig reads object storage "
                        + "credentials only from the standard AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, "
                        + "a profile, an instance role); remove it and rotate the key");
            }
        }
    }

    private void header(Script script, boolean parsedCleanly) {
        List<Stmt> statements = script.statements();
        boolean seen = false;
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i) instanceof Stmt.Migration m) {
                if (seen) {
                    error(Rule.HEADER_DUPLICATE, m.span(), "a script has one header ('migration' or 'repeatable'); this is a second one");
                } else if (i > 0) {
                    error(Rule.HEADER_POSITION, m.span(), "the '" + m.keyword() + "' header must be the first statement");
                }
                seen = true;
            }
        }
        if (!seen && parsedCleanly && !statements.isEmpty()) {
            warning(Rule.HEADER_MISSING, new Span(1, 1, 0, 0), "no 'migration' header: mig run records applied versions by it "
                    + "(add e.g. migration 1 'what this script does', or repeatable 'what it does' for a script that runs every time)");
        }
    }

    private void statement(Stmt stmt) {
        if (stmt instanceof Stmt.Connect c) {
            connect(c);
            return;
        }
        Effects effects = Effects.of(stmt);
        for (TableRef table : effects.tables()) {
            connection(table.conn(), table.span());
        }
        for (TableRef table : effects.writtenTables()) {
            Stmt.Connect conn = declared.get(table.conn());
            if (conn != null && conn.readonly() && !(stmt instanceof Stmt.Freeze || stmt instanceof Stmt.Unfreeze)) {
                error(Rule.READONLY_WRITE, table.span(), "'" + table.conn() + "' is connected readonly (line " + conn.span().line()
                        + "); " + stmt.keyword() + " would write to " + table);
            }
        }
        stmt.accept(checks);
        guards.check(stmt, this);
    }

    /** The checks of each statement: a new statement does not compile until it is considered here. */
    private final class Checks implements Stmt.Visitor<Void> {
        @Override
        public Void visitMigration(Stmt.Migration s) {
            return null;
        }

        @Override
        public Void visitConnect(Stmt.Connect s) {
            return null;
        }

        @Override
        public Void visitInventory(Stmt.Inventory s) {
            connection(s.conn(), s.target());
            return null;
        }

        @Override
        public Void visitDiff(Stmt.Diff s) {
            return null;
        }

        @Override
        public Void visitSql(Stmt.Sql s) {
            if (connection(s.conn(), s.connSpan()) && declared.get(s.conn()).readonly()) {
                warning(Rule.READONLY_SQL, s.span(), "'" + s.conn() + "' is connected readonly: only SQL that reads will succeed");
            }
            return null;
        }

        @Override
        public Void visitBackup(Stmt.Backup s) {
            return null;
        }

        @Override
        public Void visitRestore(Stmt.Restore s) {
            return null;
        }

        @Override
        public Void visitFreeze(Stmt.Freeze s) {
            frozen.add(s.table().toString());
            return null;
        }

        @Override
        public Void visitUnfreeze(Stmt.Unfreeze s) {
            if (!frozen.contains(s.table().toString())) {
                warning(Rule.REPLAY_NOT_FROZEN, s.span(), s.table() + " is not frozen earlier in this script");
            }
            return null;
        }

        @Override
        public Void visitMapTable(Stmt.MapTable s) {
            mapBlock(s);
            return null;
        }

        @Override
        public Void visitMapField(Stmt.MapField s) {
            mapBlock(s.asTableMap());
            return null;
        }

        @Override
        public Void visitRollbackMap(Stmt.RollbackMap s) {
            for (Stmt.MapLine line : s.map().lines()) {
                if (line.target().size() != 1) {
                    error(Rule.ROLLBACK_MAP_TARGET, line.target().span(), "a rollback map writes whole legacy columns, not " + line.target().source());
                }
            }
            return null;
        }

        @Override
        public Void visitCutover(Stmt.Cutover s) {
            if (!s.legacy().conn().equals(s.replacement().conn())) {
                error(Rule.CUTOVER_CONNECTIONS, s.replacement().span(), "cutover renames " + s.replacement() + " to " + s.legacy().table()
                        + ": both must be tables of one connection");
            } else if (!mapped.contains(s.legacy() + "->" + s.replacement())) {
                warning(Rule.CUTOVER_WITHOUT_MAP, s.span(), "no map " + s.legacy() + " -> " + s.replacement() + " earlier in this script: cutover "
                        + "carries queued writes over with the one recorded by the run that froze the table");
            }
            return null;
        }

        @Override
        public Void visitReplay(Stmt.Replay s) {
            if (!mapped.contains(s.source() + "->" + s.target())) {
                warning(Rule.REPLAY_WITHOUT_MAP, s.span(), "no map " + s.source() + " -> " + s.target() + " earlier in this script: replay will use "
                        + "the one recorded by the run that froze the table");
            }
            return null;
        }

        @Override
        public Void visitChecksum(Stmt.Checksum s) {
            return null;
        }

        @Override
        public Void visitSample(Stmt.Sample s) {
            return null;
        }

        @Override
        public Void visitAssert(Stmt.Assert s) {
            assertion(s.assertion());
            return null;
        }

        @Override
        public Void visitArchive(Stmt.Archive s) {
            if (s.where() != null) {
                expressions(s.where(), s.by() == null ? ExpressionRules.Place.POLICY : ExpressionRules.Place.GROUP_POLICY);
            } else if (s.by() != null) {
                error(Rule.GROUP_PLACE, s.span(), "archive ... by " + s.by() + " needs a where: the condition a group must meet");
            }
            return null;
        }

        @Override
        public Void visitPurge(Stmt.Purge s) {
            if (s.where() != null) {
                expressions(s.where(), ExpressionRules.Place.ROW);
            }
            return null;
        }

        @Override
        public Void visitPrune(Stmt.Prune s) {
            return null;
        }

        @Override
        public Void visitBackupsOf(Stmt.BackupsOf s) {
            expressions(s.where(), ExpressionRules.Place.ROW);
            return null;
        }

        @Override
        public Void visitReceipt(Stmt.Receipt s) {
            return null;
        }

        @Override
        public Void visitRollback(Stmt.Rollback s) {
            return null;
        }

        @Override
        public Void visitSet(Stmt.Set s) {
            SettingRules.check(s, Linter.this);
            return null;
        }

        @Override
        public Void visitTest(Stmt.Test s) {
            warning(Rule.RUNS_CODE, s.span(), "test runs '" + s.command().value() + "' with the script's connection URLs in its "
                    + "environment: review the command; a failure stops the run, a pass guards archive, purge and prune after it");
            return null;
        }
    }

    private final Checks checks = new Checks();

    private void connect(Stmt.Connect c) {
        if (declared.containsKey(c.name())) {
            error(Rule.CONNECTION_DUPLICATE, c.span(), "connection '" + c.name() + "' is already declared at line " + declared.get(c.name()).span().line());
            return;
        }
        declared.put(c.name(), c);
        String url = c.url().value();
        if (!url.startsWith("jdbc:") && !url.startsWith("${") && !url.startsWith("faiss:")) {
            error(Rule.CONNECTION_URL, c.url().span(), "a connection takes a JDBC URL such as 'jdbc:sqlite:history.db' or "
                    + "'jdbc:postgresql://host/db', or 'faiss:FOLDER' for mem0's FAISS store");
        }
        if (url.matches("(?is).*[?&;]password=(?!\\$\\{)[^&;]+.*") || url.matches("(?s).*//[^/@]*:[^@/$]+@.*")) {
            warning(Rule.PASSWORD_IN_SCRIPT, c.url().span(), "a password is written in the script; read it from the environment instead, "
                    + "e.g. password=${PGPASSWORD}");
        }
    }

    /** Reports an unknown or not-yet-connected name; true when the connection is usable here. */
    boolean connection(String name, Span span) {
        if (declared.containsKey(name)) {
            return true;
        }
        if (brokenConnects.contains(name)) {
            return false;
        }
        Stmt.Connect later = allConnects.get(name);
        if (later != null) {
            error(Rule.CONNECTION_BEFORE_CONNECT, span, "connection '" + name + "' is used before it is connected (connect at line "
                    + later.span().line() + ")");
            return false;
        }
        String hint = "";
        for (String known : allConnects.keySet()) {
            if (EditDistance.of(known, name) <= 2) {
                hint = " (did you mean '" + known + "'?)";
            }
        }
        error(Rule.CONNECTION_UNKNOWN, span, "unknown connection '" + name + "'" + hint
                + (allConnects.isEmpty() ? "; declare it with connect " + name + " 'jdbc:...'" : ""));
        return false;
    }

    boolean isDeclared(String connection) {
        return declared.containsKey(connection);
    }

    private void mapBlock(Stmt.MapTable s) {
        mapped.add(s.source() + "->" + s.target());
        Map<String, Stmt.MapLine> targets = new HashMap<>();
        for (Stmt.MapLine line : s.lines()) {
            String target = line.target().source();
            Stmt.MapLine first = targets.putIfAbsent(target, line);
            if (first != null) {
                error(Rule.MAP_TARGET_TWICE, line.target().span(), "target '" + target + "' is mapped twice (first at line "
                        + first.span().line() + ")");
            }
            boolean sourceStar = line.source() instanceof QName q && q.star();
            if (sourceStar != line.target().star()) {
                error(Rule.MAP_STAR_ONE_SIDE, line.span(), "'col.*' carries every unmapped key: write it on both sides, e.g. payload.* -> payload.*");
            }
            expressions(line.source(), ExpressionRules.Place.ROW);
            if (line.fallback() != null) {
                expressions(line.fallback(), ExpressionRules.Place.ROW);
            }
        }
        if (s.where() != null) {
            expressions(s.where(), ExpressionRules.Place.ROW);
        }
        if (!s.source().sameTable(s.target())) {
            for (QName key : s.key()) {
                if (!targets.containsKey(key.source())) {
                    warning(Rule.MAP_KEY_NOT_TARGET, key.span(), "key '" + key.source() + "' is not a target of this map: rows are matched by a "
                            + "column the map does not write");
                }
            }
        }
    }

    private void assertion(Stmt.Assertion a) {
        if (a instanceof Stmt.Assertion.None none) {
            if (none.where() != null) {
                expressions(none.where(), ExpressionRules.Place.ROW);
            }
        } else {
            expressions(((Stmt.Assertion.Holds) a).condition(), ExpressionRules.Place.ASSERT);
        }
    }

    private void expressions(Expr e, ExpressionRules.Place place) {
        expressionRules.check(e, place);
    }

    void error(Rule rule, Span span, String message) {
        out.add(Diagnostic.error(file, span, message).withRule(rule.id()));
    }

    void warning(Rule rule, Span span, String message) {
        out.add(Diagnostic.warning(file, span, message).withRule(rule.id()));
    }
}
