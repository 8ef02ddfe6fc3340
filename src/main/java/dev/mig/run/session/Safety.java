package dev.mig.run.session;

import dev.mig.state.History;
import dev.mig.syntax.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run-time form of the safety rule: archive, purge and prune of a table need a backup or archive
 * of it in this run, or a passing checksum of it after its last map (the linter checks the same
 * statically). Also the backups taken, which rollback restores.
 */
public final class Safety {
    private final List<History.BackupTaken> backups = new ArrayList<>();
    private final Set<String> safeToRemove = new HashSet<>();
    private final Map<String, Integer> lastMap = new HashMap<>();
    private final Map<String, Integer> lastPassingChecksum = new HashMap<>();
    private int statementIndex;
    private int lastPassingTest = -1;

    void nextStatement() {
        statementIndex++;
    }

    /** A backup this run took: what rollback restores, and the queue position to replay from. */
    public void backupTaken(History.BackupTaken backup) {
        backups.add(backup);
        safeToRemove.add(tableKey(backup.table()));
    }

    public List<History.BackupTaken> backups() {
        return backups;
    }

    public void archived(TableRef table) {
        safeToRemove.add(tableKey(table));
    }

    public void mapped(TableRef source) {
        lastMap.put(tableKey(source), statementIndex);
    }

    public void checksumPassed(TableRef source) {
        lastPassingChecksum.put(tableKey(source), statementIndex);
    }

    /** The application's tests passed (a test statement): a guard for what follows, as a passing checksum is. */
    public void testsPassed() {
        lastPassingTest = statementIndex;
    }

    /**
     * True when a backup or archive of the table, or a passing checksum after its last map, or passing
     * application tests after its last map happened in this run.
     */
    public boolean guarded(TableRef table) {
        String key = tableKey(table);
        int mapped = lastMap.getOrDefault(key, -1);
        return safeToRemove.contains(key) || lastPassingChecksum.getOrDefault(key, -1) > mapped || lastPassingTest > mapped;
    }

    private static String tableKey(TableRef table) {
        return table.conn() + "." + table.table();
    }
}
