package dev.mig.syntax.internal;

import dev.mig.syntax.QName;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import dev.mig.syntax.Text;
import org.antlr.v4.runtime.tree.RuleNode;

/**
 * The statements of a parse tree, one method a statement form: ANTLR's generated visitor picks it by the
 * tree's labelled alternative. The shared pieces (names, tables, texts, expressions) are {@link AstBuilder}'s.
 */
final class StatementVisitor extends MigParserBaseVisitor<Stmt> {
    private final AstBuilder b;

    StatementVisitor(AstBuilder b) {
        this.b = b;
    }

    @Override
    public Stmt visitMigrationStmt(MigParser.MigrationStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Migration(c.version().getText(), b.text(c.text()), span);
    }

    @Override
    public Stmt visitTestStmt(MigParser.TestStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Test(b.text(c.text()), c.INT() == null ? 600 : Long.parseLong(c.INT().getText()), span);
    }

    @Override
    public Stmt visitRepeatableStmt(MigParser.RepeatableStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Migration(null, b.text(c.text()), span);
    }

    @Override
    public Stmt visitConnectStmt(MigParser.ConnectStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Connect(b.name(c.name()), b.text(c.text()), c.READONLY() != null, span);
    }

    @Override
    public Stmt visitInventoryStmt(MigParser.InventoryStmtContext c) {
        Span span = b.span(c);
        QName q = b.qname(c.qname());
        if (q.star() || q.size() > 2) {
            throw new AstBuilder.ShapeError(q.span(), "inventory takes a connection or conn.table, not " + q.source());
        }
        return new Stmt.Inventory(q.first(), q.size() == 2 ? q.parts().get(1) : null, q.span(), span);
    }

    @Override
    public Stmt visitDiffStmt(MigParser.DiffStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Diff(b.table(c.qname(0)), b.table(c.qname(1)), b.optText(c.text()), span);
    }

    @Override
    public Stmt visitSqlStmt(MigParser.SqlStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Sql(b.name(c.name()), b.text(c.text()), b.span(c.name()), span);
    }

    @Override
    public Stmt visitBackupStmt(MigParser.BackupStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Backup(b.table(c.qname()), b.text(c.text()), span);
    }

    @Override
    public Stmt visitRestoreStmt(MigParser.RestoreStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Restore(b.table(c.qname()), b.text(c.text()), span);
    }

    @Override
    public Stmt visitFreezeStmt(MigParser.FreezeStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Freeze(b.table(c.qname()), span);
    }

    @Override
    public Stmt visitUnfreezeStmt(MigParser.UnfreezeStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Unfreeze(b.table(c.qname()), span);
    }

    @Override
    public Stmt visitMapBlockStmt(MigParser.MapBlockStmtContext c) {
        Span span = b.span(c);
        return b.mapBlock(c, span);
    }

    @Override
    public Stmt visitMapFieldStmt(MigParser.MapFieldStmtContext c) {
        Span span = b.span(c);
        return b.mapField(c, span);
    }

    @Override
    public Stmt visitRollbackMapStmt(MigParser.RollbackMapStmtContext c) {
        Span span = b.span(c);
        return new Stmt.RollbackMap(new Stmt.MapTable(b.table(c.qname(0)), b.table(c.qname(1)), b.keys(c.keyClause()), false,
                b.lines(c.mapBlock()), null, span), span);
    }

    @Override
    public Stmt visitCutoverStmt(MigParser.CutoverStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Cutover(b.table(c.qname(0)), b.table(c.qname(1)), c.FORCE() != null, span);
    }

    @Override
    public Stmt visitReplayStmt(MigParser.ReplayStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Replay(b.table(c.qname(0)), b.table(c.qname(1)), span);
    }

    @Override
    public Stmt visitChecksumStmt(MigParser.ChecksumStmtContext c) {
        Span span = b.span(c);
        TableRef target = c.qname().size() > 1 ? b.table(c.qname(1)) : null;
        long allow = 0;
        boolean extra = false;
        for (MigParser.ChecksumAllowContext a : c.checksumAllow()) {
            if (a.INT() != null) {
                allow = b.number(a.INT(), "allow");
            } else {
                extra = true;
            }
        }
        return new Stmt.Checksum(b.table(c.qname(0)), target, allow, extra, span);
    }

    @Override
    public Stmt visitSampleStmt(MigParser.SampleStmtContext c) {
        Span span = b.span(c);
        return b.sample(c, span);
    }

    @Override
    public Stmt visitAssertStmt(MigParser.AssertStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Assert(b.assertion(c.assertion()), span);
    }

    @Override
    public Stmt visitArchiveStmt(MigParser.ArchiveStmtContext c) {
        Span span = b.span(c);
        Text file = b.optText(c.text());
        TableRef toTable = c.qname().size() > 1 ? b.table(c.qname(1)) : null;
        return new Stmt.Archive(b.table(c.qname(0)), c.name() == null ? null : b.name(c.name()), b.optExpr(c.expr()), file, toTable,
                c.FORCE() != null, span);
    }

    @Override
    public Stmt visitPurgeStmt(MigParser.PurgeStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Purge(b.table(c.qname()), c.EXISTS() != null, b.optExpr(c.expr()), c.FORCE() != null, span);
    }

    @Override
    public Stmt visitBackupsOfStmt(MigParser.BackupsOfStmtContext c) {
        Span span = b.span(c);
        return new Stmt.BackupsOf(b.table(c.qname()), b.expr(c.expr()), c.REWRITE() != null, span);
    }

    @Override
    public Stmt visitReceiptStmt(MigParser.ReceiptStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Receipt(b.text(c.text()), span);
    }

    @Override
    public Stmt visitPruneStmt(MigParser.PruneStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Prune(b.field(c.qname(), 2), c.FORCE() != null, span);
    }

    @Override
    public Stmt visitRollbackStmt(MigParser.RollbackStmtContext c) {
        Span span = b.span(c);
        return new Stmt.Rollback(span);
    }

    @Override
    public Stmt visitSetStmt(MigParser.SetStmtContext c) {
        Span span = b.span(c);
        return b.set(c, span);
    }

    @Override
    public Stmt visitChildren(RuleNode node) { // a labelled alternative of statement without its method here
        throw new IllegalStateException("statement not covered: " + node.getClass().getSimpleName());
    }
}
