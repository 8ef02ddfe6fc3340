package dev.mig.report;

import dev.mig.MigException;
import dev.mig.audit.BackupFile;
import dev.mig.audit.LocalStorage;
import dev.mig.audit.Storage;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.offsite.Locations;
import dev.mig.plan.Prelude;
import dev.mig.plan.RollbackPlan;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.resolve.Scripts;
import dev.mig.state.Archives;
import dev.mig.state.History;
import dev.mig.state.Runs;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers what a handover report says about scripts that ran: from mig_history, mig_runs, mig_audit,
 * mig_backups, mig_archives, mig_seen and mig_snapshot on the state connection, the backup files and
 * objects (each verified again now), the rejects and sample files - through read-only connections. A
 * store that cannot be reached is named and the rest is still reported.
 */
public final class Reporter {
    private final RunOptions options;

    public Reporter(RunOptions options) {
        this.options = options;
    }

    public Model.Report build(List<Path> scripts, Instant generatedAt) {
        return buildFrom(Scripts.read(scripts), generatedAt);
    }

    /** The report of several reports (scripts run with different variables, as mig demo runs them), in their order. */
    public static Model.Report combine(List<Model.Report> parts, Instant generatedAt) {
        List<Model.Script> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Model.Report r : parts) {
            items.addAll(r.items());
            problems.addAll(r.problems());
        }
        return new Model.Report(generatedAt.toString(), String.join(", ", items.stream().map(Model.Script::file).toList()), items,
                problems, !problems.isEmpty());
    }

    public Model.Report buildFrom(List<ScriptSource> sources, Instant generatedAt) {
        List<Model.Script> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Scripts.Resolved source : Scripts.inVersionOrder(sources)) {
            try {
                items.add(script(source, problems));
            } catch (MigException e) {
                problems.add(source.file() + ": " + e.getMessage());
            }
        }
        List<String> names = items.stream().map(Model.Script::file).toList();
        return new Model.Report(generatedAt.toString(), String.join(", ", names), items, problems, !problems.isEmpty());
    }

    private Model.Script script(Scripts.Resolved source, List<String> problems) {
        Script script = source.parsed().script();
        Stmt.Migration header = script.header().orElse(null);
        String key = header == null ? null : header.historyKey();
        Prelude prelude = Prelude.of(script);
        try (Scope scope = new Scope(options)) {
            List<Model.Store> stores = new ArrayList<>();
            for (Stmt.Connect c : prelude.connections()) {
                String url;
                try {
                    url = scope.resolve(c.url());
                } catch (MigException e) {
                    stores.add(new Model.Store(c.name(), c.url().value(), false, e.getMessage(), false));
                    problems.add(source.file() + ": connection '" + c.name() + "': " + e.getMessage());
                    continue;
                }
                try {
                    Database db = Database.open(c.name(), url, true, false);
                    scope.add(db);
                    stores.add(new Model.Store(c.name(), JdbcUrls.redact(url), true, null, false));
                } catch (MigException e) {
                    String why = Database.rootMessage(e).replace(url, JdbcUrls.redact(url));
                    stores.add(new Model.Store(c.name(), JdbcUrls.redact(url), false, why, false));
                    problems.add(source.file() + ": the store '" + c.name() + "' (" + JdbcUrls.redact(url) + ") cannot be reached: " + why);
                }
            }
            // the run's own rule (Prelude.stateConnection): opened readonly here, so "writable" is as declared
            Map<String, Database> open = scope.connections();
            String stateConn = prelude.stateConnection(open::containsKey, n -> open.get(n).describe("mig_history") != null).orElse(null);
            stores.replaceAll(st -> new Model.Store(st.name(), st.url(), st.reachable(), st.error(), st.name().equals(stateConn)));
            Database state = stateConn == null ? null : open.get(stateConn);
            Facts facts = new Facts(scope, source, script, state, key, problems);
            return facts.build(header, stores);
        }
    }

    /** Where a location recorded earlier is now: a local path (as recorded) or an s3:// object. */
    static Storage storage(RunOptions options, String location) {
        return Locations.open(location, options.environment(), options.baseDir());
    }

    /** Verifies a backup or archive now: "verifies", or what is wrong with it. */
    static String[] verify(RunOptions options, String location) {
        try {
            Storage storage = storage(options, location);
            if (!storage.exists()) {
                return new String[] {"MISSING: not found", "", "", ""};
            }
            BackupFile.Manifest manifest = BackupFile.readManifest(storage);
            try {
                BackupFile.verify(storage, manifest);
            } catch (MigException e) {
                return new String[] {"ALTERED: " + e.getMessage(), manifest.sha256(), String.valueOf(manifest.rows()), size(storage)};
            }
            return new String[] {"verifies", manifest.sha256(), String.valueOf(manifest.rows()), size(storage)};
        } catch (MigException e) {
            return new String[] {"MISSING: " + e.getMessage(), "", "", ""};
        } catch (IOException e) {
            return new String[] {"MISSING: " + e.getMessage(), "", "", ""};
        }
    }

    private static String size(Storage storage) {
        if (storage instanceof LocalStorage local) {
            try {
                return Fmt.bytes(Files.size(local.file()));
            } catch (IOException e) {
                return "";
            }
        }
        try (InputStream in = storage.open()) {
            return Fmt.bytes(in.transferTo(OutputStream.nullOutputStream()));
        } catch (IOException e) {
            return "";
        }
    }

    static long count(Database db, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The rows of archives recorded for a table (all versions). */
    static long[] archives(Database state, String table) {
        long n = 0;
        long rows = 0;
        for (Archives.Entry a : Archives.all(state)) {
            if (a.table().equals(table)) {
                n++;
                rows += a.rows();
            }
        }
        return new long[] {n, rows};
    }

    static Runs.Run lastRun(Database state, String key) {
        return state == null || key == null ? null : Runs.last(state, key);
    }

    static History.Entry history(Database state, String key) {
        return state == null || key == null ? null : History.find(state, key);
    }

    static List<String> rollback(Script script) {
        return RollbackPlan.lines(script);
    }
}
