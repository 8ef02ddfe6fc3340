package dev.mig.run;

import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.resolve.Scripts;
import dev.mig.run.session.Session;
import dev.mig.run.session.TextTable;
import dev.mig.state.History;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** mig status: each script's version against the mig_history of its state connection. */
public final class MigrationStatus {
    private MigrationStatus() {
    }

    /** A terminal is rarely narrower; COLUMNS, when the shell exports it, says how wide this one is. */
    private static final int DEFAULT_WIDTH = 100;

    /**
     * Prints the status table, each row within the terminal's width (the description shortened with an
     * ellipsis), and under it the reasons too long for a cell: why a script failed or cannot be checked.
     * Returns 0, or 1 when a script is changed, failed or cannot be checked.
     */
    public static int print(List<ScriptSource> sources, RunOptions options) {
        TextTable table = new TextTable("version", "status", "applied at", "script", "description");
        List<String> notes = new ArrayList<>();
        int code = 0;
        for (Scripts.Resolved source : Scripts.inVersionOrder(sources)) {
            ParseResult parsed = source.parsed();
            Stmt.Migration header = source.header().orElse(null);
            String file = shortName(source.file());
            if (!parsed.ok() || header == null) {
                table.row("-", parsed.ok() ? "unversioned" : "invalid", "-", file, "-");
                code = parsed.ok() ? code : 1;
                continue;
            }
            String status;
            String applied = "-";
            String version = header.repeatable() ? "R" : header.version();
            try (Session session = new Session(source.file(), options)) {
                ScriptRunner.openConnections(session, parsed.script());
                if (session.connections().state() == null) {
                    status = "no state";
                    notes.add(version + " (" + file + "): no writable connection keeps mig_history");
                } else {
                    History.Entry entry = History.find(session.connections().state(), header.historyKey());
                    String sha = source.sha256();
                    if (header.repeatable()) {
                        applied = entry == null ? "-" : entry.appliedAt();
                        status = entry == null ? "never run" : entry.success() ? "runs every time" : "last run failed";
                    } else if (entry == null) {
                        status = "pending";
                    } else {
                        applied = entry.appliedAt();
                        status = !entry.success() ? "failed" : entry.sha256().equals(sha) ? "applied" : "CHANGED";
                        if (status.equals("CHANGED")) {
                            notes.add(version + " (" + file + "): changed since it was applied (sha256 " + entry.sha256().substring(0, 12)
                                    + "... then, " + sha.substring(0, 12) + "... now); put the change in a new migration");
                        }
                    }
                }
            } catch (RuntimeException e) {
                status = "cannot check";
                String m = String.valueOf(e.getMessage());
                notes.add(m.startsWith(source.file() + ":") ? m : version + " (" + file + "): " + m); // file:line:col: error: ...
            }
            if (status.equals("failed") || status.equals("last run failed") || status.equals("CHANGED")
                    || status.equals("cannot check")) {
                code = 1;
            }
            table.row(version, status, applied.length() > 19 ? applied.substring(0, 19).replace('T', ' ') : applied, file,
                    header.description().value());
        }
        int width = width(options);
        for (String line : table.lines("")) {
            options.output().line(line.length() <= width ? line : line.substring(0, width - 1) + "\u2026");
        }
        if (!notes.isEmpty()) {
            options.output().line("");
            for (String note : notes) {
                options.output().line(note);
            }
        }
        return code;
    }

    private static int width(RunOptions options) {
        try {
            int w = Integer.parseInt(options.environment().getOrDefault("COLUMNS", ""));
            return Math.max(60, w);
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    /** A script's name as the user wrote it, without the directories above its folder. */
    private static String shortName(String file) {
        Path p = Path.of(file);
        int n = p.getNameCount();
        return n <= 2 ? file : p.subpath(n - 2, n).toString();
    }
}
