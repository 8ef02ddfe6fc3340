package dev.mig.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mig.data.Values;
import dev.mig.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * mig_progress on the state connection: the last source key a map committed, per script (and its
 * sha256) and line. A map killed half way resumes after that key when the same script runs again;
 * rows before it are not read twice, and rows after it were never committed.
 */
final class Progress {
    private final Session session;
    private final int line;
    private final Database state;

    private Progress(Session session, int line, Database state) {
        this.session = session;
        this.line = line;
        this.state = state;
    }

    /** Progress tracking for a map at this line, or null when there is nothing to keep it in. */
    static Progress of(Session session, int line) {
        Database state = session.state();
        if (state == null || session.scriptSha() == null || session.dryRun()) {
            return null;
        }
        return new Progress(session, line, state);
    }

    /** The key to resume after, or null to start at the beginning. */
    List<Object> resumeAfter() throws SQLException {
        JsonNode saved = resumeRaw();
        if (saved == null) {
            return null;
        }
        if (!saved.isArray()) {
            throw new dev.mig.MigException("line " + line + ": an earlier run of this map was interrupted while it ran "
                    + "inside the database in key slices (set parallel); run it again with the same settings");
        }
        List<Object> key = new ArrayList<>();
        for (JsonNode v : saved) {
            key.add(Values.fromJson(v));
        }
        return key;
    }

    /** What an interrupted run saved (a key as a JSON array, or key slices), or null. */
    JsonNode resumeRaw() throws SQLException {
        if (state.describe("mig_progress") == null) {
            return null;
        }
        try (PreparedStatement ps = state.connection().prepareStatement(
                "SELECT last_key FROM mig_progress WHERE script = ? AND sha256 = ? AND line = ?")) {
            ps.setString(1, session.file());
            ps.setString(2, session.scriptSha());
            ps.setInt(3, line);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return null;
                }
                JsonNode saved = Values.parseJson(rs.getString(1));
                return saved.isNull() ? null : saved;
            } finally {
                state.commit();
            }
        }
    }

    void save(List<Object> lastKey) throws SQLException {
        ArrayNode key = Values.JSON.createArrayNode();
        lastKey.forEach(v -> key.add(Values.toJson(v)));
        saveRaw(key.toString());
    }

    /** Records how far the map got (JSON) and commits the state connection. */
    void saveRaw(String json) throws SQLException {
        try (Statement s = state.connection().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mig_progress (script TEXT NOT NULL, sha256 TEXT NOT NULL, line INTEGER NOT NULL, "
                    + "last_key TEXT, updated_at TEXT, PRIMARY KEY (script, line))");
        }
        clear();
        try (PreparedStatement ps = state.connection().prepareStatement(
                "INSERT INTO mig_progress (script, sha256, line, last_key, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, session.file());
            ps.setString(2, session.scriptSha());
            ps.setInt(3, line);
            ps.setString(4, json);
            ps.setString(5, java.time.Instant.now().toString());
            ps.executeUpdate();
        }
        state.schemaChanged();
        state.commit();
    }

    void done() throws SQLException {
        if (state.describe("mig_progress") != null) {
            clear();
            state.commit();
        }
    }

    private void clear() throws SQLException {
        try (PreparedStatement ps = state.connection().prepareStatement("DELETE FROM mig_progress WHERE script = ? AND line = ?")) {
            ps.setString(1, session.file());
            ps.setInt(2, line);
            ps.executeUpdate();
        }
    }
}
