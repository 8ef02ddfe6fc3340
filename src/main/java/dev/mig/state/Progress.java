package dev.mig.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mig.MigException;
import dev.mig.data.Values;
import dev.mig.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * mig_progress on the state connection: the last source key a map committed, per script (and its
 * sha256) and line. A map killed half way resumes after that key when the same script runs again;
 * rows before it are not read twice, and rows after it were never committed.
 */
public final class Progress {
    private final String file;
    private final String scriptSha;
    private final int line;
    private final Database state;

    private Progress(Database state, String file, String scriptSha, int line) {
        this.file = file;
        this.scriptSha = scriptSha;
        this.line = line;
        this.state = state;
    }

    /** Progress tracking for a map at this line, or null when there is nothing to keep it in. */
    public static Progress of(Database state, String file, String scriptSha, boolean dryRun, int line) {
        if (state == null || scriptSha == null || dryRun) {
            return null;
        }
        return new Progress(state, file, scriptSha, line);
    }

    /** The key to resume after, or null to start at the beginning. */
    public List<Object> resumeAfter() throws SQLException {
        JsonNode saved = resumeRaw();
        if (saved == null) {
            return null;
        }
        if (!saved.isArray()) {
            throw new MigException("line " + line + ": an earlier run of this map was interrupted while it ran "
                    + "inside the database in key slices (set parallel); run it again with the same settings");
        }
        List<Object> key = new ArrayList<>();
        for (JsonNode v : saved) {
            key.add(Values.fromJson(v));
        }
        return key;
    }

    /** What an interrupted run saved (a key as a JSON array, or key slices), or null. */
    public JsonNode resumeRaw() throws SQLException {
        try {
            List<String> saved = PROGRESS.select(state, "last_key", "WHERE script = ? AND sha256 = ? AND line = ?", rs -> rs.getString(1),
                    file, scriptSha, line);
            if (saved.isEmpty() || saved.get(0) == null) {
                return null;
            }
            JsonNode key = Values.parseJson(saved.get(0));
            return key.isNull() ? null : key;
        } finally {
            state.commit();
        }
    }

    public void save(List<Object> lastKey) throws SQLException {
        ArrayNode key = Values.JSON.createArrayNode();
        lastKey.forEach(v -> key.add(Values.toJson(v)));
        saveRaw(key.toString());
    }

    /** Records how far the map got (JSON) and commits the state connection. */
    public void saveRaw(String json) throws SQLException {
        PROGRESS.create(state);
        clear();
        PROGRESS.insert(state, file, scriptSha, line, json, Instant.now().toString());
        state.schemaChanged();
        state.commit();
    }

    public void done() throws SQLException {
        if (PROGRESS.exists(state)) {
            clear();
            state.commit();
        }
        if (SLICE_TABLE.exists(state)) {
            SLICE_TABLE.delete(state, "WHERE script = ? AND line = ?", file, line);
            state.commit();
        }
    }

    /** Key slices of a parallel map: one row each, updated in the same transaction as the slice's chunk. */
    static final String SLICES = "mig_progress_slices";
    private static final StateTable PROGRESS = new StateTable("mig_progress", "script TEXT NOT NULL, sha256 TEXT NOT NULL, "
            + "line INTEGER NOT NULL, last_key TEXT, updated_at TEXT, PRIMARY KEY (script, line)");
    private static final StateTable SLICE_TABLE = new StateTable(SLICES, "script TEXT NOT NULL, sha256 TEXT NOT NULL, "
            + "line INTEGER NOT NULL, slice INTEGER NOT NULL, after_key TEXT, up_to TEXT, done INTEGER NOT NULL, updated_at TEXT, "
            + "PRIMARY KEY (script, line, slice)");

    /** A slice as saved: the key it continues after and the key it ends at (JSON arrays or null), done or not. */
    public record SavedSlice(int slice, JsonNode after, JsonNode upTo, boolean done) {
    }

    public boolean keepsSlicesIn(Database db) {
        return state == db;
    }

    /** The slices an interrupted parallel run saved, empty when none. */
    public List<SavedSlice> resumeSlices() throws SQLException {
        try {
            return SLICE_TABLE.select(state, "slice, after_key, up_to, done", "WHERE script = ? AND sha256 = ? AND line = ? ORDER BY slice",
                    rs -> new SavedSlice(rs.getInt(1), Values.parseJson(rs.getString(2)), Values.parseJson(rs.getString(3)), rs.getInt(4) != 0),
                    file, scriptSha, line);
        } finally {
            state.commit();
        }
    }

    /** Records the slices a parallel run starts with (replacing any). */
    public void startSlices(List<SavedSlice> slices) throws SQLException {
        SLICE_TABLE.create(state);
        SLICE_TABLE.delete(state, "WHERE script = ? AND line = ?", file, line);
        String now = Instant.now().toString();
        List<Object[]> rows = new ArrayList<>();
        for (SavedSlice slice : slices) {
            rows.add(new Object[] {file, scriptSha, line, slice.slice(), slice.after().toString(), slice.upTo().toString(), slice.done(), now});
        }
        SLICE_TABLE.insertAll(state, rows);
        state.schemaChanged();
        state.commit();
    }

    /** Moves a slice forward on the state connection and commits it (the chunk committed already elsewhere). */
    public void advanceSliceOnState(int slice, String after, boolean done) throws SQLException {
        advanceSlice(state.connection(), slice, after, done);
        state.commit();
    }

    /** Moves a slice forward on the given connection (the chunk's own, when it is the state database), not committed. */
    public void advanceSlice(Connection c, int slice, String after, boolean done) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + SLICES + " SET after_key = ?, done = ?, updated_at = ? "
                + "WHERE script = ? AND line = ? AND slice = ?")) {
            ps.setString(1, after);
            ps.setInt(2, done ? 1 : 0);
            ps.setString(3, Instant.now().toString());
            ps.setString(4, file);
            ps.setInt(5, line);
            ps.setInt(6, slice);
            ps.executeUpdate();
        }
    }

    private void clear() throws SQLException {
        PROGRESS.delete(state, "WHERE script = ? AND line = ?", file, line);
    }
}
