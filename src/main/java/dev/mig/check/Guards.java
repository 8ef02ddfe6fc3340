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
final class Guards {
    private final Set<String> backedUp = new HashSet<>();
    private final Map<String, Integer> lastMap = new HashMap<>();
    private final Map<String, Integer> lastChecksum = new HashMap<>();
    private int index;

    void check(Stmt stmt, Linter linter) {
        index++;
        if (stmt instanceof Stmt.Backup s) {
            backedUp.add(key(s.table()));
        } else if (stmt instanceof Stmt.MapTable s) {
            lastMap.put(key(s.source()), index);
        } else if (stmt instanceof Stmt.MapField s) {
            lastMap.put(key(s.source().table()), index);
        } else if (stmt instanceof Stmt.Checksum s && s.target() != null) {
            lastChecksum.put(key(s.table()), index);
        } else if (stmt instanceof Stmt.Archive s) {
            guard(linter, s, s.table(), s.force());
            backedUp.add(key(s.table()));
        } else if (stmt instanceof Stmt.Purge s) {
            guard(linter, s, s.table(), s.force());
        } else if (stmt instanceof Stmt.Prune s) {
            guard(linter, s, s.target().table(), s.force());
        }
    }

    private void guard(Linter linter, Stmt stmt, TableRef table, boolean force) {
        String key = key(table);
        boolean checked = lastChecksum.getOrDefault(key, -1) > lastMap.getOrDefault(key, 0);
        if (backedUp.contains(key) || checked) {
            return;
        }
        String what = stmt.keyword() + " of " + table;
        if (force) {
            linter.warning(stmt.span(), what + " is forced: no backup or checksum of " + table + " guards it");
        } else {
            linter.error(stmt.span(), what + " needs an earlier 'backup " + table + " to ...' or a passing 'checksum "
                    + table + " -> ...' after its last map (or write 'force' to override)");
        }
    }

    private static String key(TableRef table) {
        return table.conn() + "." + table.table();
    }
}
