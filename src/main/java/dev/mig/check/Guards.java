package dev.mig.check;

import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The static form of the safety rule: archive, purge and prune need an earlier backup of the
 * table (or, for prune, an archive), or a checksum of it against a target after its last map.
 */
final class Guards implements Stmt.Visitor<Void> {
    private final Set<String> backedUp = new HashSet<>();
    private final Map<String, Integer> lastMap = new HashMap<>();
    private final Map<String, Integer> lastChecksum = new HashMap<>();
    private int index;
    private int testedAt = -1;

    private Linter linter;

    void check(Stmt stmt, Linter linter) {
        this.linter = linter;
        index++;
        stmt.accept(this);
    }

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
        return null;
    }

    @Override
    public Void visitDiff(Stmt.Diff s) {
        return null;
    }

    @Override
    public Void visitSql(Stmt.Sql s) {
        return null;
    }

    @Override
    public Void visitBackup(Stmt.Backup s) {
        backedUp.add(key(s.table()));
        return null;
    }

    @Override
    public Void visitRestore(Stmt.Restore s) {
        return null;
    }

    @Override
    public Void visitFreeze(Stmt.Freeze s) {
        return null;
    }

    @Override
    public Void visitUnfreeze(Stmt.Unfreeze s) {
        return null;
    }

    @Override
    public Void visitMapTable(Stmt.MapTable s) {
        lastMap.put(key(s.source()), index);
        return null;
    }

    @Override
    public Void visitMapField(Stmt.MapField s) {
        lastMap.put(key(s.source().table()), index);
        return null;
    }

    @Override
    public Void visitRollbackMap(Stmt.RollbackMap s) {
        return null;
    }

    @Override
    public Void visitCutover(Stmt.Cutover s) {
        guard(s, s.legacy(), s.force());
        return null;
    }

    @Override
    public Void visitReplay(Stmt.Replay s) {
        return null;
    }

    @Override
    public Void visitChecksum(Stmt.Checksum s) {
        if (s.target() != null) {
            lastChecksum.put(key(s.table()), index);
        }
        return null;
    }

    @Override
    public Void visitSample(Stmt.Sample s) {
        return null;
    }

    @Override
    public Void visitAssert(Stmt.Assert s) {
        return null;
    }

    @Override
    public Void visitArchive(Stmt.Archive s) {
        if (s.by() != null && !s.selective()) {
            return null; // the linter says it needs a where
        }
        if (s.selective()) {
            // a policy's archive is its own verified copy of what it removes; force lets it remove every row
            if (s.force()) {
                linter.warning(Rule.DESTRUCTIVE_FORCED, s.span(), "archive of " + s.table() + " where ... is forced: it may "
                        + "remove every row of the table");
            }
            return null;
        }
        guard(s, s.table(), s.force());
        backedUp.add(key(s.table()));
        return null;
    }

    @Override
    public Void visitPurge(Stmt.Purge s) {
        guard(s, s.table(), s.force());
        return null;
    }

    @Override
    public Void visitBackupsOf(Stmt.BackupsOf s) {
        return null;
    }

    @Override
    public Void visitReceipt(Stmt.Receipt s) {
        return null;
    }

    @Override
    public Void visitPrune(Stmt.Prune s) {
        guard(s, s.target().table(), s.force());
        return null;
    }

    @Override
    public Void visitRollback(Stmt.Rollback s) {
        return null;
    }

    /** Passing application tests after a table's last map guard what follows, as a passing checksum does. */
    @Override
    public Void visitTest(Stmt.Test s) {
        for (String key : new HashSet<>(lastMap.keySet())) {
            lastChecksum.put(key, index);
        }
        testedAt = index;
        return null;
    }

    @Override
    public Void visitSet(Stmt.Set s) {
        return null;
    }

    private void guard(Stmt stmt, TableRef table, boolean force) {
        String key = key(table);
        boolean checked = lastChecksum.getOrDefault(key, -1) > lastMap.getOrDefault(key, 0) || testedAt > lastMap.getOrDefault(key, 0);
        if (backedUp.contains(key) || checked) {
            return;
        }
        String what = stmt.keyword() + " of " + table;
        if (force) {
            linter.warning(Rule.DESTRUCTIVE_FORCED, stmt.span(), what + " is forced: no backup or checksum of " + table + " guards it");
        } else {
            linter.error(Rule.DESTRUCTIVE_UNGUARDED, stmt.span(), what + " needs an earlier 'backup " + table + " to ...' or a passing 'checksum "
                    + table + " -> ...' after its last map (or write 'force' to override)");
        }
    }

    private static String key(TableRef table) {
        return table.conn() + "." + table.table();
    }
}
