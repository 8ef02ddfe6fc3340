package dev.mig.run.session;

import dev.mig.db.Database;
import dev.mig.state.History;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a run remembers of its script and of the statements so far: the maps (checksum, sample and
 * replay reuse them; else the one an earlier run recorded), table digests seen, the script's text
 * hash, and the guards of destructive statements.
 */
public final class ScriptMemory {
    private final Map<String, Stmt.MapTable> maps = new HashMap<>();
    private final Map<String, String> digests = new HashMap<>();
    private final Safety safety = new Safety();
    private final List<Removal> removals = new ArrayList<>();
    private final Supplier<Database> state;
    private List<Stmt.MapTable> scriptMaps = List.of();
    private String scriptSha;

    ScriptMemory(Supplier<Database> state) {
        this.state = state;
    }

    public void rememberMap(Stmt.MapTable map) {
        maps.put(mapKey(map.source(), map.target()), map);
    }

    /**
     * The map source -> target of this run, else the one an earlier run recorded in mig_maps (a later
     * migration that replays or checks what an earlier one mapped); null when neither.
     */
    public Stmt.MapTable mapOrRecorded(TableRef source, TableRef target) {
        Stmt.MapTable map = maps.get(mapKey(source, target));
        Database db = state.get();
        if (map == null && db != null) {
            map = History.recordedMap(db, source.toString(), target.toString());
        }
        return map;
    }

    private static String mapKey(TableRef source, TableRef target) {
        return source.conn() + "." + source.table() + "->" + target.conn() + "." + target.table();
    }

    /** Records a table digest; returns the earlier one of this run ("line N: digest") or null. */
    public String rememberDigest(TableRef table, String digest, int line) {
        return digests.put(table.conn() + "." + table.table(), line + ": " + digest);
    }

    /** Rows a statement of this run removed from a table or from backup files: what a receipt reports (never content). */
    public record Removal(int line, String statement, String table, long rows, String digest) {
    }

    public void removed(Removal removal) {
        removals.add(removal);
    }

    public List<Removal> removals() {
        return List.copyOf(removals);
    }

    /** What guards an archive, purge or prune in this run: backups, archives, checksums after the last map. */
    public Safety safety() {
        return safety;
    }

    /** Every map of the whole script, known before it runs (diff explains columns by them). */
    public List<Stmt.MapTable> scriptMaps() {
        return scriptMaps;
    }

    public void scriptMaps(List<Stmt.MapTable> maps) {
        this.scriptMaps = List.copyOf(maps);
    }

    public String scriptSha() {
        return scriptSha;
    }

    public void scriptSha(String sha) {
        this.scriptSha = sha;
    }
}
