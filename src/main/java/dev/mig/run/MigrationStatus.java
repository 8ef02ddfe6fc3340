package dev.mig.run;

import dev.mig.run.session.RunOptions;
import dev.mig.run.session.Session;
import dev.mig.run.session.TextTable;
import dev.mig.run.state.History;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import java.util.List;

/** mig status: each script's version against the mig_history of its state connection. */
public final class MigrationStatus {
    private MigrationStatus() {
    }

    /** Prints the status table; returns 0, or 1 when a script is changed, failed or cannot be checked. */
    public static int print(List<ScriptRunner.Source> sources, RunOptions options) {
        TextTable table = new TextTable("version", "status", "applied at", "script", "description");
        int code = 0;
        for (Scripts.Resolved source : Scripts.inVersionOrder(sources)) {
            ParseResult parsed = source.parsed();
            Stmt.Migration header = source.header().orElse(null);
            if (!parsed.ok() || header == null) {
                table.row("-", parsed.ok() ? "unversioned" : "invalid", "-", source.file(), "-");
                code = parsed.ok() ? code : 1;
                continue;
            }
            String status;
            String applied = "-";
            try (Session session = new Session(source.file(), options)) {
                ScriptRunner.openConnections(session, parsed.script());
                if (session.state() == null) {
                    status = "no state connection";
                } else {
                    History.Entry entry = History.find(session.state(), header.historyKey());
                    String sha = source.sha256();
                    if (header.repeatable()) {
                        applied = entry == null ? "-" : entry.appliedAt();
                        status = entry == null ? "never run" : entry.success() ? "runs every time" : "last run failed";
                    } else if (entry == null) {
                        status = "pending";
                    } else {
                        applied = entry.appliedAt();
                        status = !entry.success() ? "failed" : entry.sha256().equals(sha) ? "applied" : "CHANGED";
                    }
                }
            } catch (RuntimeException e) {
                status = "cannot check: " + e.getMessage();
            }
            if (status.equals("failed") || status.equals("last run failed") || status.equals("CHANGED") || status.startsWith("cannot")) {
                code = 1;
            }
            table.row(header.repeatable() ? "R" : header.version(), status, applied, source.file(), header.description().value());
        }
        for (String line : table.lines("")) {
            options.output().line(line);
        }
        return code;
    }
}
