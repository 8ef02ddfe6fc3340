package dev.mig.state;

import dev.mig.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * mig_runs, on the state connection: each run of a versioned or repeatable script - its run id, when, how
 * long, who ran it (OS user, host), which mig, the script's sha256 and the outcome. What a handover report
 * says about "who ran what"; mig_history keeps only the last state of each version.
 */
public final class Runs {
    /** One run. */
    public record Run(String runId, String version, String script, String sha256, String startedAt, long durationMs, String osUser,
                      String host, String migVersion, boolean success) {
    }

    private static final StateTable TABLE = new StateTable("mig_runs", "run_id TEXT, version TEXT, script TEXT, sha256 TEXT, "
            + "started_at TEXT, duration_ms BIGINT, os_user TEXT, host TEXT, mig_version TEXT, success INTEGER");

    private Runs() {
    }

    public static void record(Database state, Run run) {
        try {
            TABLE.create(state);
            TABLE.insert(state, run.runId(), run.version(), run.script(), run.sha256(), run.startedAt(), run.durationMs(), run.osUser(),
                    run.host(), run.migVersion(), run.success());
            state.commit();
            state.schemaChanged();
        } catch (SQLException e) {
            throw state.error("cannot write mig_runs on '" + state.name() + "'", e);
        }
    }

    /** The last run of a version (null when none recorded). */
    public static Run last(Database state, String version) {
        try {
            List<Run> runs = TABLE.select(state, "run_id, version, script, sha256, started_at, duration_ms, os_user, host, mig_version, "
                    + "success", "WHERE version = ? ORDER BY started_at DESC LIMIT 1", rs -> new Run(rs.getString(1), rs.getString(2),
                    rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9),
                    rs.getInt(10) == 1), version);
            return runs.isEmpty() ? null : runs.get(0);
        } catch (SQLException e) {
            throw state.error("cannot read mig_runs on '" + state.name() + "'", e);
        }
    }

    public static String osUser() {
        return System.getProperty("user.name", "unknown");
    }

    public static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** mig's version, as the jar was built (dev when run from classes). */
    public static String migVersion() {
        Properties properties = new Properties();
        try (InputStream in = Runs.class.getResourceAsStream("/dev/mig/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "dev";
        }
        return properties.getProperty("version", "dev");
    }
}
