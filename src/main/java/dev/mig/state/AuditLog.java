package dev.mig.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.audit.JsonLines;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Stmt;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Every statement run, written twice: a row in {@code mig_audit} on the state connection and a
 * line in a JSON-lines file. Connection URLs are stored with passwords hidden.
 */
public final class AuditLog implements AutoCloseable {
    private static final String COLUMNS = "run_id, script, version, line, statement, rows_read, rows_written, "
            + "rows_rejected, digest, outcome, message, started_at, duration_ms";

    private JsonLines lines;
    private final String script;
    private final String runId;
    private final Set<String> prepared = new HashSet<>();

    public AuditLog(Path file, String script, String runId) {
        this.lines = new JsonLines(file, "audit file");
        this.script = script;
        this.runId = runId;
    }

    public Path file() {
        return lines.path();
    }

    public void file(Path path) {
        close();
        this.lines = new JsonLines(path, "audit file");
    }

    /** One statement run: what it read, wrote and rejected, its digest, outcome and timing. */
    public record Entry(String version, boolean dryRun, Stmt stmt, long read, long written, long rejected, String digest,
                        String outcome, String message, Instant start, long millis) {
    }

    /** One statement as mig_audit recorded it. */
    public record Recorded(int line, String statement, long read, long written, long rejected, String digest, String outcome,
                           String message, String startedAt, long millis) {
    }

    /** The statements one run recorded, in the order they started; none when there is no mig_audit. */
    public static List<Recorded> ofRun(Database state, String runId) throws SQLException {
        List<Recorded> out = new ArrayList<>();
        if (state.describe("mig_audit") == null) {
            return out;
        }
        try (PreparedStatement ps = state.connection().prepareStatement("SELECT line, statement, rows_read, rows_written, rows_rejected, "
                + "digest, outcome, message, started_at, duration_ms FROM mig_audit WHERE run_id = ? ORDER BY started_at, line")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Recorded(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10)));
                }
            }
        }
        return out;
    }

    /** The id of the last run of a version (for runs recorded before mig_runs existed); null when none. */
    public static String lastRunId(Database state, String version) throws SQLException {
        if (state.describe("mig_audit") == null) {
            return null;
        }
        try (PreparedStatement ps = state.connection().prepareStatement("SELECT run_id FROM mig_audit WHERE version = ? "
                + "ORDER BY started_at DESC")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Appends the entry to the audit file and, when there is a state connection, to its mig_audit table. */
    public void record(Database state, Entry e) {
        Stmt stmt = e.stmt();
        String message = e.message();
        Instant start = e.start();
        long millis = e.millis();
        String outcome = e.outcome();
        String text = statementText(stmt);
        ObjectNode line = Values.JSON.createObjectNode();
        line.put("run_id", runId);
        line.put("script", script);
        line.put("version", e.version());
        line.put("line", stmt.span().line());
        line.put("statement", text);
        line.put("rows_read", e.read());
        line.put("rows_written", e.written());
        line.put("rows_rejected", e.rejected());
        line.put("digest", e.digest());
        line.put("outcome", outcome);
        line.put("message", message);
        line.put("started_at", start.toString());
        line.put("duration_ms", millis);
        line.put("dry_run", e.dryRun());
        lines.append(line.toString());
        if (state != null) {
            insert(state, e, text);
        }
    }

    /** The statement as stored: canonical text, passwords of a connect hidden. */
    static String statementText(Stmt stmt) {
        if (stmt instanceof Stmt.Connect c) {
            return "connect " + c.name() + " '" + JdbcUrls.redact(c.url().value()) + "'" + (c.readonly() ? " readonly" : "");
        }
        return Printer.statement(stmt);
    }

    private void insert(Database state, Entry e, String text) {
        try {
            ensureTable(state);
            String sql = "INSERT INTO mig_audit (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = state.connection().prepareStatement(sql)) {
                ps.setString(1, runId);
                ps.setString(2, script);
                ps.setString(3, e.version());
                ps.setInt(4, e.stmt().span().line());
                ps.setString(5, text);
                ps.setLong(6, e.read());
                ps.setLong(7, e.written());
                ps.setLong(8, e.rejected());
                ps.setString(9, e.digest());
                ps.setString(10, e.outcome());
                ps.setString(11, e.message());
                ps.setString(12, e.start().toString());
                ps.setLong(13, e.millis());
                ps.executeUpdate();
            }
            state.commit();
        } catch (SQLException x) {
            throw state.error("cannot write mig_audit on '" + state.name() + "'", x);
        }
    }

    private void ensureTable(Database state) throws SQLException {
        if (prepared.contains(state.name())) {
            return;
        }
        String id = state.dialect().autoIncrementId();
        try (Statement s = state.connection().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mig_audit (" + id + ", run_id TEXT, script TEXT, version TEXT, "
                    + "line INTEGER, statement TEXT, rows_read BIGINT, rows_written BIGINT, rows_rejected BIGINT, "
                    + "digest TEXT, outcome TEXT, message TEXT, started_at TEXT, duration_ms BIGINT)");
        }
        prepared.add(state.name());
    }

    @Override
    public void close() {
        lines.close();
    }
}
