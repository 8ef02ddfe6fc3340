package dev.mig.syntax;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Canonical source text of AST nodes: keywords in lower case, single spaces, the fewest
 * parentheses that keep the meaning. Parsing the text gives the same AST back.
 */
public final class Printer implements Stmt.Visitor<String> {
    private static final Printer INSTANCE = new Printer();

    private Printer() {
    }

    public static String statement(Stmt stmt) {
        return stmt.accept(INSTANCE);
    }

    public static String expr(Expr e) {
        return ExprPrinter.print(e);
    }

    public static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return Text.quote(s, false);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    /** The map line as {@code source -> target [as type] [default expr]}, source padded to {@code width}. */
    public static String mapLine(Stmt.MapLine line, int width) {
        String source = expr(line.source());
        StringBuilder out = new StringBuilder(source);
        out.append(" ".repeat(Math.max(0, width - source.length())));
        out.append(" -> ").append(line.target().source());
        if (line.type() != null) {
            out.append(" as ").append(line.type());
        }
        if (line.fallback() != null) {
            out.append(" default ").append(expr(line.fallback()));
        }
        return out.toString();
    }

    /** The first line of a map block statement, up to and including '{'. */
    public static String mapHeader(Stmt.MapTable s) {
        StringBuilder out = new StringBuilder("map " + s.source().source() + " -> " + s.target().source());
        if (s.key().size() == 1) {
            out.append(" key ").append(s.key().get(0).source());
        } else if (!s.key().isEmpty()) {
            out.append(" key (").append(s.key().stream().map(QName::source).collect(Collectors.joining(", "))).append(')');
        }
        if (s.keepExisting()) {
            out.append(" on conflict keep");
        }
        return out.append(" {").toString();
    }

    /** The closing line of a map block statement. */
    public static String mapFooter(Stmt.MapTable s) {
        return s.where() == null ? "}" : "} where " + expr(s.where());
    }

    public static int sourceWidth(List<Stmt.MapLine> lines) {
        int width = 0;
        for (Stmt.MapLine line : lines) {
            width = Math.max(width, expr(line.source()).length());
        }
        return width;
    }

    @Override
    public String visitMigration(Stmt.Migration s) {
        return s.repeatable() ? "repeatable " + s.description().source() : "migration " + s.version() + " " + s.description().source();
    }

    @Override
    public String visitConnect(Stmt.Connect s) {
        return "connect " + Names.quoteIfNeeded(s.name()) + " " + s.url().source() + (s.readonly() ? " readonly" : "");
    }

    @Override
    public String visitInventory(Stmt.Inventory s) {
        return "inventory " + Names.quoteIfNeeded(s.conn()) + (s.table() == null ? "" : "." + Names.quoteIfNeeded(s.table()));
    }

    @Override
    public String visitDiff(Stmt.Diff s) {
        return "diff " + s.left() + " " + s.right() + (s.to() == null ? "" : " to " + s.to().source());
    }

    @Override
    public String visitSql(Stmt.Sql s) {
        return "sql " + Names.quoteIfNeeded(s.conn()) + " " + s.sql().source();
    }

    @Override
    public String visitBackup(Stmt.Backup s) {
        return "backup " + s.table() + " to " + s.file().source();
    }

    @Override
    public String visitRestore(Stmt.Restore s) {
        return "restore " + s.table() + " from " + s.file().source();
    }

    @Override
    public String visitFreeze(Stmt.Freeze s) {
        return "freeze " + s.table();
    }

    @Override
    public String visitUnfreeze(Stmt.Unfreeze s) {
        return "unfreeze " + s.table();
    }

    @Override
    public String visitMapTable(Stmt.MapTable s) {
        List<String> lines = new ArrayList<>();
        lines.add(mapHeader(s));
        int width = sourceWidth(s.lines());
        for (Stmt.MapLine line : s.lines()) {
            lines.add("  " + mapLine(line, width));
        }
        lines.add(mapFooter(s));
        return String.join("\n", lines);
    }

    @Override
    public String visitMapField(Stmt.MapField s) {
        StringBuilder out = new StringBuilder("map " + s.source().source() + " -> " + s.target().source());
        if (s.type() != null) {
            out.append(" as ").append(s.type());
        }
        if (s.fallback() != null) {
            out.append(" default ").append(expr(s.fallback()));
        }
        if (s.where() != null) {
            out.append(" where ").append(expr(s.where()));
        }
        return out.toString();
    }

    @Override
    public String visitRollbackMap(Stmt.RollbackMap s) {
        return "on rollback " + visitMapTable(s.map());
    }

    @Override
    public String visitCutover(Stmt.Cutover s) {
        return "cutover " + s.legacy() + " -> " + s.replacement() + (s.force() ? " force" : "");
    }

    @Override
    public String visitReplay(Stmt.Replay s) {
        return "replay " + s.source() + " -> " + s.target();
    }

    @Override
    public String visitChecksum(Stmt.Checksum s) {
        if (s.target() == null) {
            return "checksum " + s.table();
        }
        return "checksum " + s.table() + " -> " + s.target() + (s.allow() > 0 ? " allow " + s.allow() : "")
                + (s.allowExtra() ? " allow extra" : "");
    }

    @Override
    public String visitSample(Stmt.Sample s) {
        return "sample " + s.count() + " " + s.source() + (s.target() == null ? "" : " -> " + s.target())
                + (s.where() == null ? "" : " where " + expr(s.where()))
                + (s.seed() == null ? "" : " seed " + s.seed()) + (s.to() == null ? "" : " to " + s.to().source());
    }

    @Override
    public String visitAssert(Stmt.Assert s) {
        return "assert " + assertion(s.assertion());
    }

    public static String assertion(Stmt.Assertion a) {
        if (a instanceof Stmt.Assertion.None none) {
            return "none " + none.table() + (none.where() == null ? "" : " where " + expr(none.where()));
        }
        return expr(((Stmt.Assertion.Holds) a).condition());
    }

    @Override
    public String visitArchive(Stmt.Archive s) {
        String to = s.toFile() != null ? s.toFile().source() : s.toTable().source();
        return "archive " + s.table() + (s.by() == null ? "" : " by " + Names.quoteIfNeeded(s.by()))
                + (s.where() == null ? "" : " where " + expr(s.where())) + " to " + to + (s.force() ? " force" : "");
    }

    @Override
    public String visitPurge(Stmt.Purge s) {
        return "purge " + s.table() + (s.ifExists() ? " if exists" : "") + (s.where() == null ? "" : " where " + expr(s.where()))
                + (s.force() ? " force" : "");
    }

    @Override
    public String visitBackupsOf(Stmt.BackupsOf s) {
        return "backups of " + s.table() + " where " + expr(s.where()) + (s.rewrite() ? " rewrite" : "");
    }

    @Override
    public String visitReceipt(Stmt.Receipt s) {
        return "receipt to " + s.file().source();
    }

    @Override
    public String visitPrune(Stmt.Prune s) {
        return "prune " + s.target().source() + (s.force() ? " force" : "");
    }

    @Override
    public String visitRollback(Stmt.Rollback s) {
        return "rollback";
    }

    @Override
    public String visitTest(Stmt.Test s) {
        return "test " + s.command().source() + (s.timeoutSeconds() == 600 ? "" : " timeout " + s.timeoutSeconds());
    }

    @Override
    public String visitSet(Stmt.Set s) {
        String value = s.quoted() ? Text.quote(s.value(), false)
                : s.value().matches("[0-9]+(\\.[0-9]+)?|true|false") ? s.value() : Names.quoteIfNeeded(s.value());
        return "set " + Names.quoteIfNeeded(s.name()) + " " + value;
    }
}
