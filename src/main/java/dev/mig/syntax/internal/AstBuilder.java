package dev.mig.syntax.internal;

import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.Expr;
import dev.mig.syntax.FieldRef;
import dev.mig.syntax.QName;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import dev.mig.syntax.Text;
import dev.mig.syntax.Types;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns one parse tree into the immutable AST, once. Shape rules the grammar leaves open (a table
 * name has two parts, a type name is known, ...) are checked here and reported as diagnostics.
 */
public final class AstBuilder {
    /** A shape rule was broken; the statement is dropped and the diagnostic kept. */
    static final class ShapeError extends RuntimeException {
        final Span span;

        ShapeError(Span span, String message) {
            super(message, null, false, false);
            this.span = span;
        }
    }

    private final String file;
    private final List<Diagnostic> errors;

    public AstBuilder(String file, List<Diagnostic> errors) {
        this.file = file;
        this.errors = errors;
    }

    /** The statement, or null when it breaks a shape rule (the error is recorded). */
    public Stmt statement(MigParser.StatementContext ctx) {
        try {
            return build(ctx);
        } catch (ShapeError e) {
            errors.add(Diagnostic.error(file, e.span, e.getMessage()));
            return null;
        }
    }

    Stmt build(MigParser.StatementContext ctx) {
        return ctx.accept(new StatementVisitor(this));
    }


    Stmt mapBlock(MigParser.MapBlockStmtContext c, Span span) {
        Expr where = c.WHERE() == null ? null : expr(c.expr());
        return new Stmt.MapTable(table(c.qname(0)), table(c.qname(1)), keys(c.keyClause()), c.conflictClause() != null,
                lines(c.mapBlock()), where, span);
    }

    List<QName> keys(MigParser.KeyClauseContext clause) {
        List<QName> key = new ArrayList<>();
        if (clause != null) {
            for (MigParser.QnameContext k : clause.qname()) {
                QName q = qname(k);
                if (q.star()) {
                    throw new ShapeError(q.span(), "a key names columns, not " + q.source());
                }
                key.add(q);
            }
        }
        return key;
    }

    List<Stmt.MapLine> lines(MigParser.MapBlockContext block) {
        List<Stmt.MapLine> lines = new ArrayList<>();
        for (MigParser.MapLineContext line : block.mapLine()) {
            QName target = qname(line.qname());
            lines.add(new Stmt.MapLine(expr(line.expr(0)), target, type(line.typeName()),
                    line.DEFAULT() == null ? null : expr(line.expr(1)), span(line)));
        }
        return lines;
    }

    Stmt mapField(MigParser.MapFieldStmtContext c, Span span) {
        QName from = qname(c.qname(0));
        if (from.size() == 2 && !from.star()) {
            throw new ShapeError(from.span(), "a map of whole tables needs a block: map " + from.source() + " -> "
                    + qname(c.qname(1)).source() + " { ... } (the '{' on the same line)");
        }
        FieldRef source = field(c.qname(0), 3);
        FieldRef target = field(c.qname(1), 3);
        Expr fallback = c.DEFAULT() == null ? null : expr(c.expr(0));
        Expr where = c.WHERE() == null ? null : expr(c.expr(c.expr().size() - 1));
        return new Stmt.MapField(source, target, type(c.typeName()), fallback, where, span);
    }

    Stmt sample(MigParser.SampleStmtContext c, Span span) {
        Long seed = null;
        Text to = null;
        for (MigParser.SampleOptionContext option : c.sampleOption()) {
            if (option.SEED() != null) {
                if (seed != null) {
                    throw new ShapeError(span(option), "seed is given twice");
                }
                seed = number(option.INT(), "seed");
            } else {
                if (to != null) {
                    throw new ShapeError(span(option), "'to' is given twice");
                }
                to = text(option.text());
            }
        }
        long count = number(c.INT(), "sample size");
        if (count < 1 || count > 100_000) {
            throw new ShapeError(span(c.INT().getSymbol()), "sample size must be between 1 and 100000");
        }
        return new Stmt.Sample((int) count, table(c.qname(0)), c.qname().size() > 1 ? table(c.qname(1)) : null,
                optExpr(c.expr()), seed, to, span);
    }

    Stmt.Assertion assertion(MigParser.AssertionContext ctx) {
        if (ctx instanceof MigParser.NoneAssertionContext c) {
            return new Stmt.Assertion.None(table(c.qname()), optExpr(c.expr()));
        }
        return new Stmt.Assertion.Holds(expr(((MigParser.ExprAssertionContext) ctx).expr()));
    }

    Stmt set(MigParser.SetStmtContext c, Span span) {
        MigParser.SetValueContext v = c.setValue();
        if (v.text() != null) {
            return new Stmt.Set(name(c.name()), text(v.text()).value(), true, span);
        }
        String value = v.name() != null ? name(v.name()) : v.getText().toLowerCase(Locale.ROOT);
        if (v.INT() != null || v.DECIMAL() != null) {
            value = v.getText();
        }
        return new Stmt.Set(name(c.name()), value, false, span);
    }

    // ---- expressions

    Expr optExpr(MigParser.ExprContext ctx) {
        return ctx == null ? null : expr(ctx);
    }

    Expr expr(MigParser.ExprContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof MigParser.ParenExprContext c) {
            return expr(c.expr());
        }
        if (ctx instanceof MigParser.LiteralExprContext c) {
            return literal(c.literal(), span);
        }
        if (ctx instanceof MigParser.NameExprContext c) {
            return qname(c.qname());
        }
        if (ctx instanceof MigParser.CallExprContext c) {
            int argCount = c.expr().size() - (c.WHERE() != null ? 1 : 0);
            List<Expr> args = new ArrayList<>();
            for (int i = 0; i < argCount; i++) {
                args.add(expr(c.expr(i)));
            }
            Expr where = c.WHERE() != null ? expr(c.expr(argCount)) : null;
            return new Expr.Call(name(c.name()).toLowerCase(Locale.ROOT), args, where, span);
        }
        if (ctx instanceof MigParser.NegateExprContext c) {
            Expr operand = expr(c.expr());
            if (operand instanceof Expr.Literal lit && lit.value() instanceof Long n) {
                return new Expr.Literal(-n, span);
            }
            if (operand instanceof Expr.Literal lit && lit.value() instanceof BigDecimal d) {
                return new Expr.Literal(d.negate(), span);
            }
            return new Expr.Unary("-", operand, span);
        }
        if (ctx instanceof MigParser.NotExprContext c) {
            return new Expr.Unary("not", expr(c.expr()), span);
        }
        if (ctx instanceof MigParser.CastExprContext c) {
            return new Expr.Cast(expr(c.expr()), type(c.typeName()), span);
        }
        if (ctx instanceof MigParser.BinaryExprContext c) {
            String op = c.op.getType() == MigLexer.NEQ ? "!=" : c.op.getText().toLowerCase(Locale.ROOT);
            return new Expr.Binary(op, expr(c.expr(0)), expr(c.expr(1)), span);
        }
        if (ctx instanceof MigParser.IsNullExprContext c) {
            return new Expr.IsNull(expr(c.expr()), c.NOT() != null, span);
        }
        if (ctx instanceof MigParser.InSelectExprContext c) {
            Expr.Select select = new Expr.Select(expr(c.expr(1)), table(c.qname()), c.expr().size() > 2 ? expr(c.expr(2)) : null,
                    Tokens.span(c.SELECT().getSymbol(), c.RPAREN().getSymbol()));
            return new Expr.In(expr(c.expr(0)), List.of(), select, c.NOT() != null, span);
        }
        if (ctx instanceof MigParser.InExprContext c) {
            List<Expr> options = new ArrayList<>();
            for (int i = 1; i < c.expr().size(); i++) {
                options.add(expr(c.expr(i)));
            }
            return new Expr.In(expr(c.expr(0)), options, c.NOT() != null, span);
        }
        if (ctx instanceof MigParser.CaseExprContext c) {
            return caseExpr(c, span);
        }
        throw new IllegalStateException("expression not covered: " + ctx.getClass().getSimpleName());
    }

    Expr caseExpr(MigParser.CaseExprContext c, Span span) {
        List<MigParser.ExprContext> parts = c.expr();
        int index = 0;
        Expr subject = null;
        if (c.subject != null) {
            subject = expr(c.subject);
            index = 1;
        }
        List<Expr.When> whens = new ArrayList<>();
        for (int w = 0; w < c.WHEN().size(); w++) {
            whens.add(new Expr.When(expr(parts.get(index)), expr(parts.get(index + 1))));
            index += 2;
        }
        Expr otherwise = c.ELSE() != null ? expr(parts.get(index)) : null;
        return new Expr.Case(subject, whens, otherwise, span);
    }

    Expr literal(MigParser.LiteralContext c, Span span) {
        if (c.text() != null) {
            return new Expr.Literal(text(c.text()).value(), span);
        }
        if (c.INT() != null) {
            try {
                return new Expr.Literal(Long.parseLong(c.INT().getText()), span);
            } catch (NumberFormatException e) {
                return new Expr.Literal(new BigDecimal(c.INT().getText()), span);
            }
        }
        if (c.DECIMAL() != null) {
            return new Expr.Literal(new BigDecimal(c.DECIMAL().getText()), span);
        }
        if (c.TRUE() != null) {
            return new Expr.Literal(Boolean.TRUE, span);
        }
        if (c.FALSE() != null) {
            return new Expr.Literal(Boolean.FALSE, span);
        }
        return new Expr.Literal(null, span);
    }

    // ---- names and leaves

    String type(MigParser.TypeNameContext ctx) {
        if (ctx == null) {
            return null;
        }
        String written = name(ctx.name());
        String canonical = Types.canonical(written);
        if (canonical == null) {
            throw new ShapeError(span(ctx), "unknown type '" + written + "'; types are " + String.join(", ", Types.ALL));
        }
        return canonical;
    }

    TableRef table(MigParser.QnameContext ctx) {
        QName q = qname(ctx);
        if (q.size() != 2 || q.star()) {
            throw new ShapeError(q.span(), "expected a table as conn.table, found " + q.source()
                    + (q.size() > 2 && !q.star() ? " (write a schema-qualified table as conn.\"schema.table\")" : ""));
        }
        return new TableRef(q.parts().get(0), q.parts().get(1), q.span());
    }

    /** conn.table.path with at least {@code minParts} parts in all. */
    FieldRef field(MigParser.QnameContext ctx, int minParts) {
        QName q = qname(ctx);
        if (q.size() < minParts || q.star()) {
            String want = minParts == 3 ? "a field as conn.table.column[.json.key]" : "conn.table[.column[.json.key]]";
            throw new ShapeError(q.span(), "expected " + want + ", found " + q.source());
        }
        TableRef table = new TableRef(q.parts().get(0), q.parts().get(1), q.span());
        return new FieldRef(table, q.parts().subList(2, q.size()), q.span());
    }

    QName qname(MigParser.QnameContext ctx) {
        List<String> parts = new ArrayList<>();
        for (MigParser.NameContext n : ctx.name()) {
            parts.add(name(n));
        }
        return new QName(parts, !ctx.STAR().isEmpty(), span(ctx));
    }

    public static String name(MigParser.NameContext ctx) {
        TerminalNode quoted = ctx.QUOTED_IDENT();
        if (quoted != null) {
            String text = quoted.getText();
            return text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        return ctx.getText();
    }

    static Text optText(MigParser.TextContext ctx) {
        return ctx == null ? null : text(ctx);
    }

    static Text text(MigParser.TextContext ctx) {
        Token token = ctx.getStart();
        String raw = token.getText();
        if (token.getType() == MigLexer.TRIPLE_STRING) {
            return new Text(raw.substring(3, raw.length() - 3), true, Tokens.span(token));
        }
        return new Text(raw.substring(1, raw.length() - 1).replace("''", "'"), false, Tokens.span(token));
    }

    long number(TerminalNode node, String what) {
        try {
            return Long.parseLong(node.getText());
        } catch (NumberFormatException e) {
            throw new ShapeError(span(node.getSymbol()), what + " is too large: " + node.getText());
        }
    }

    static Span span(ParserRuleContext ctx) {
        return Tokens.span(ctx.getStart(), ctx.getStop());
    }

    static Span span(Token token) {
        return Tokens.span(token);
    }

    /** True when error recovery touched this subtree: it is not safe to build from. */
    public static boolean damaged(ParseTree tree) {
        if (tree instanceof TerminalNode t) {
            return t instanceof ErrorNode || t.getSymbol().getTokenIndex() < 0;
        }
        ParserRuleContext ctx = (ParserRuleContext) tree;
        if (ctx.exception != null || ctx.getChildCount() == 0) {
            return true; // no rule of the grammar derives the empty string: an empty one was recovered
        }
        for (int i = 0; i < ctx.getChildCount(); i++) {
            if (damaged(ctx.getChild(i))) {
                return true;
            }
        }
        return false;
    }
}
