package dev.mig.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.run.Session;
import dev.mig.run.StepResult;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Stmt;
import java.nio.file.Path;
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

    public void record(Session session, Stmt stmt, StepResult result, String outcome, String message, Instant start,
                       long millis) {
        String text = statementText(stmt);
        ObjectNode line = Values.JSON.createObjectNode();
        line.put("run_id", runId);
        line.put("script", script);
        line.put("version", session.version());
        line.put("line", stmt.span().line());
        line.put("statement", text);
        line.put("rows_read", result.read());
        line.put("rows_written", result.written());
        line.put("rows_rejected", result.rejected());
        line.put("digest", result.digest());
        line.put("outcome", outcome);
        line.put("message", message != null ? message : result.message());
        line.put("started_at", start.toString());
        line.put("duration_ms", millis);
        line.put("dry_run", session.dryRun());
        lines.append(line.toString());
        Database state = session.state();
        if (state != null) {
            insert(state, session, stmt, text, result, outcome, message != null ? message : result.message(), start, millis);
        }
    }

    /** The statement as stored: canonical text, passwords of a connect hidden. */
    static String statementText(Stmt stmt) {
        if (stmt instanceof Stmt.Connect c) {
            return "connect " + c.name() + " '" + JdbcUrls.redact(c.url().value()) + "'" + (c.readonly() ? " readonly" : "");
        }
        return Printer.statement(stmt);
    }

    private void insert(Database state, Session session, Stmt stmt, String text, StepResult result, String outcome,
                        String message, Instant start, long millis) {
        try {
            ensureTable(state);
            String sql = "INSERT INTO mig_audit (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = state.connection().prepareStatement(sql)) {
                ps.setString(1, runId);
                ps.setString(2, script);
                ps.setString(3, session.version());
                ps.setInt(4, stmt.span().line());
                ps.setString(5, text);
                ps.setLong(6, result.read());
                ps.setLong(7, result.written());
                ps.setLong(8, result.rejected());
                ps.setString(9, result.digest());
                ps.setString(10, outcome);
                ps.setString(11, message);
                ps.setString(12, start.toString());
                ps.setLong(13, millis);
                ps.executeUpdate();
            }
            state.commit();
        } catch (SQLException e) {
            throw state.error("cannot write mig_audit on '" + state.name() + "'", e);
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
