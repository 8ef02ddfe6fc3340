package dev.mig.watch;

import dev.mig.audit.BackupFile;
import dev.mig.audit.Storage;
import dev.mig.db.Capture;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.db.TableInfo;
import dev.mig.mem0.Formats;
import dev.mig.offsite.Locations;
import dev.mig.state.Snapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One check of the stores a migration left: each opened readonly and compared with the snapshot the
 * last mig run recorded in it (mig_snapshot). Keeps, between checks, how far it read each table, so a
 * check reads only the rows added since the one before (SQLite's rowid); the legacy rows found are
 * counted since the migration.
 */
public final class Watcher {
    /** Where object storage credentials and endpoints come from (the process's environment; a test's map). */
    private Map<String, String> environment = System.getenv();

    /** The environment the object-store checks read (AWS_* variables), instead of the process's. */
    public Watcher environment(Map<String, String> env) {
        this.environment = env;
        return this;
    }
    /** What one check of one store saw: whether it could be read, its tables' row counts, the anomalies. */
    public record StoreCheck(String store, boolean up, Map<String, Long> rows, List<Finding> findings, long millis, long scanned,
                             Map<String, Long> shrunk, long deleteEvents) {
    }

    private static final String ROWS = "";
    private final Map<String, Long> positions = new HashMap<>();
    /** Rows the legacy-format scan read in the current check: after the first, only the rows added since. */
    private long scanned;
    /** Collections with fewer rows than the migration left, by table, in the current check. */
    private final Map<String, Long> shrunk = new HashMap<>();
    /** DELETE events written to this store's history since the migration (-1: no history read by position). */
    private long deleteEvents;
    private final Map<String, Long> deletes = new HashMap<>();
    private final Map<String, Map<String, Long>> legacy = new HashMap<>();

    public StoreCheck check(String url) {
        String store = JdbcUrls.redact(url);
        long start = System.nanoTime();
        Database db;
        try {
            db = Database.open("watched", url, true, false);
        } catch (RuntimeException e) {
            return new StoreCheck(store, false, Map.of(), List.of(new Finding(store, null, Finding.UNREACHABLE, 1,
                    "the store cannot be read: " + Database.rootMessage(e), null)), millis(start), 0, Map.of(), -1);
        }
        scanned = 0;
        shrunk.clear();
        deleteEvents = -1;
        try {
            Map<String, Long> rows = new LinkedHashMap<>();
            List<Finding> findings = new ArrayList<>();
            List<Snapshots.Table> snapshot = Snapshots.read(db);
            if (snapshot.isEmpty()) {
                neverMigrated(db, store, rows, findings);
            } else {
                for (Snapshots.Table t : snapshot) {
                    table(db, store, t, rows, findings);
                }
                orphans(db, store, snapshot, findings);
                added(db, store, snapshot, findings);
            }
            leftovers(db, store, findings);
            return new StoreCheck(store, true, rows, findings, millis(start), scanned, Map.copyOf(shrunk), deleteEvents);
        } catch (SQLException | RuntimeException e) {
            return new StoreCheck(store, false, Map.of(), List.of(new Finding(store, null, Finding.UNREACHABLE, 1,
                    "the check failed: " + Database.rootMessage(e), null)), millis(start), 0, Map.of(), -1);
        } finally {
            db.close();
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void table(Database db, String store, Snapshots.Table t, Map<String, Long> rows, List<Finding> findings)
            throws SQLException {
        TableInfo now = db.describe(t.name());
        if (now == null) {
            findings.add(new Finding(store, t.name(), Finding.TABLE_GONE, t.rows(), "the table mig left (" + t.format()
                    + ", " + t.rows() + " rows) is gone: renamed or dropped since " + t.recordedAt(), "mig inspect " + store
                    + " (what is there now); mig rollback " + t.version() + " " + t.script()));
            return;
        }
        schema(db, store, t, now, findings);
        rows(db, store, t, rows, findings);
        legacyWrites(db, store, t, now, findings);
    }

    /** Columns and indexes against those the migration left. */
    private static void schema(Database db, String store, Snapshots.Table t, TableInfo now, List<Finding> findings) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        now.columns().forEach(c -> columns.put(c.name(), c.declaredType()));
        List<String> changes = new ArrayList<>();
        t.columns().forEach((name, type) -> {
            if (!columns.containsKey(name)) {
                changes.add("dropped " + name);
            } else if (!columns.get(name).equalsIgnoreCase(type)) {
                changes.add(name + " " + type + " -> " + columns.get(name));
            }
        });
        columns.keySet().stream().filter(c -> !t.columns().containsKey(c)).forEach(c -> changes.add("added " + c));
        if (!changes.isEmpty()) {
            findings.add(new Finding(store, t.name(), Finding.SCHEMA_DRIFT, changes.size(), "columns changed since the migration ("
                    + String.join(", ", changes) + "): " + (LegacyRows.history(t.format())
                    ? "current mem0 rebuilds a history whose column names are not G2's, dropping the others"
                    : "mem0 reads the columns it knows"), "mig inspect " + store));
        }
        List<String> indexes = db.dialect().indexNames(db.connection(), t.name());
        if (!indexes.equals(t.indexes())) {
            List<String> gone = new ArrayList<>(t.indexes());
            gone.removeAll(indexes);
            List<String> added = new ArrayList<>(indexes);
            added.removeAll(t.indexes());
            findings.add(new Finding(store, t.name(), Finding.INDEX_DRIFT, gone.size() + added.size(), "indexes changed since the "
                    + "migration" + (gone.isEmpty() ? "" : ", gone: " + gone) + (added.isEmpty() ? "" : ", added: " + added)
                    + (gone.stream().anyMatch(i -> i.endsWith("_hnsw_idx") || i.endsWith("_text_lemmatized_idx"))
                    ? ": mem0's vector or keyword search now scans the whole table" : ""), null));
        }
    }

    /** The row count against the migration's: a history never shrinks; a collection that did is told apart in Watch. */
    private void rows(Database db, String store, Snapshots.Table t, Map<String, Long> rows, List<Finding> findings) throws SQLException {
        long count;
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + db.dialect().table(t.name()))) {
            rs.next();
            count = rs.getLong(1);
        }
        rows.put(t.name(), count);
        if (count < t.rows() && LegacyRows.collection(t.format())) {
            shrunk.put(t.name(), t.rows() - count); // told apart from deletions with the history's DELETE events (Watch)
        }
        if (count < t.rows() && LegacyRows.history(t.format())) {
            findings.add(new Finding(store, t.name(), Finding.ROWS_VANISHED, t.rows() - count, (t.rows() - count)
                    + " history events fewer than the migration left (" + t.rows() + " -> " + count + "): mem0 deletes history "
                    + "only in reset(); a rebuild or a stale release took them", "mig inspect " + store + "; mig rollback "
                    + t.version() + " " + t.script()));
        }
    }

    /** Rows written since the migration in a legacy format (read from the last position on, where there is one). */
    private void legacyWrites(Database db, String store, Snapshots.Table t, TableInfo now, List<Finding> findings) throws SQLException {
        String key = store + "|" + t.name();
        String current = Formats.recognise(now);
        Long from = positions.getOrDefault(key, t.position());
        LegacyRows.Found found = LegacyRows.count(db, now, current, from, Instant.parse(t.recordedAt()));
        scanned += found.scanned();
        if (LegacyRows.history(current) && found.position() != null && from != null) {
            long total = deletes.merge(key, found.deletes(), Long::sum);
            deleteEvents = Math.max(0, deleteEvents) + total;
        }
        Map<String, Long> seen = legacy.computeIfAbsent(key, k -> new TreeMap<>());
        if (found.position() != null && from != null) {
            positions.put(key, found.position());
            found.hazards().forEach((h, n) -> seen.merge(h, n, Long::sum)); // read once: rows after the last check only
            seen.merge(ROWS, found.rows(), Long::sum);
        } else {
            seen.clear(); // no storage position (PostgreSQL): counted again from the migration on
            seen.putAll(found.hazards());
            seen.put(ROWS, found.rows());
        }
        long total = seen.getOrDefault(ROWS, 0L);
        Map<String, Long> kinds = new TreeMap<>(seen);
        kinds.remove(ROWS);
        if (total > 0) {
            boolean history = LegacyRows.history(current);
            findings.add(new Finding(store, t.name(), Finding.LEGACY_WRITES, total, total + " rows written since the migration "
                    + "in a legacy format (" + kinds + "): " + (history
                    ? "a process of an old mem0 release writes this history; get_history misorders them"
                    : "an old client writes this collection; its memories are invisible to current filters or undeletable"),
                    "upgrade that process, then " + (history ? "scripts/mem0/007_history_g2_sqlite.mig"
                    : current.contains("TypeScript") || kinds.keySet().stream().anyMatch(h -> h.startsWith("TS"))
                    ? "scripts/mem0/011_ts_collection_v2_to_v3.mig" : "scripts/mem0/006_collection_payloads.mig")));
        }
    }

    /** old_history / history_old that appeared (or grew) after the migration: every row in them is out of mem0's sight. */
    private static void orphans(Database db, String store, List<Snapshots.Table> snapshot, List<Finding> findings)
            throws SQLException {
        for (String name : db.tables()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("old_history") && !lower.equals("history_old")) {
                continue;
            }
            long recorded = snapshot.stream().filter(t -> t.name().equalsIgnoreCase(name)).mapToLong(Snapshots.Table::rows)
                    .findFirst().orElse(0);
            long n;
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + db.dialect().table(name))) {
                rs.next();
                n = rs.getLong(1);
            }
            if (n > recorded) {
                TableInfo t = db.describe(name);
                boolean g2 = t.column("new_value") == null && t.column("created_at") != null;
                findings.add(new Finding(store, name, Finding.ORPHAN_TABLE, n, n + " history events in " + name + ", which no mem0 "
                        + "release reads" + (lower.equals("old_history") && g2 ? ": a mem0 0.1.34-0.1.99 process started on the "
                        + "migrated file and renamed history" : ""), "upgrade that process, then scripts/mem0/" + (lower.equals("history_old")
                        ? "009_history_orphans_history_old.mig" : g2 ? "008b_history_orphans_old_history_g2.mig"
                        : "008_history_orphans_old_history.mig")));
            }
        }
    }

    /**
     * A mem0 table that appeared after the migration (a history or collection table mem0 does not create
     * on its own: not messages, entities or telemetry, and not the orphans reported above): someone
     * renamed, copied or rebuilt one.
     */
    private static void added(Database db, String store, List<Snapshots.Table> snapshot, List<Finding> findings)
            throws SQLException {
        Set<String> known = new HashSet<>();
        snapshot.forEach(t -> known.add(t.name().toLowerCase(Locale.ROOT)));
        for (String name : db.tables()) {
            String lower = name.toLowerCase(Locale.ROOT);
            TableInfo t = db.describe(name);
            String format = Formats.recognise(t);
            boolean mem0 = LegacyRows.history(format) || LegacyRows.collection(format) && !lower.endsWith("_entities");
            if (known.contains(lower) || lower.startsWith("mig_") || lower.equals("old_history") || lower.equals("history_old")
                    || !mem0) {
                continue;
            }
            findings.add(new Finding(store, name, Finding.SCHEMA_DRIFT, 1, "a table added since the migration (" + format
                    + "): mem0 reads only the tables it names; was one renamed, copied or rebuilt?", "mig inspect " + store));
        }
    }

    /** mig's own leftovers: a capture still on, writes queued and never replayed, backups gone or changed. */
    private void leftovers(Database db, String store, List<Finding> findings) throws SQLException {
        for (String name : db.tables()) {
            if (!name.toLowerCase(Locale.ROOT).startsWith("mig_") && Capture.installed(db, name)) {
                findings.add(new Finding(store, name, Finding.CAPTURE_ON, 1, "capture triggers are still on " + name + ": every "
                        + "write is also queued in mig_queue (a script stopped between freeze and unfreeze)", "finish or roll back "
                        + "that script (mig status)"));
            }
        }
        if (db.describe("mig_queue") != null) {
            String marks = db.describe("mig_replayed") == null ? "0" : "(SELECT coalesce(max(seq), 0) FROM mig_replayed)";
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT table_name, count(*) FROM mig_queue WHERE seq > " + marks + " GROUP BY table_name")) {
                while (rs.next()) {
                    findings.add(new Finding(store, rs.getString(1), Finding.QUEUE_NOT_DRAINED, rs.getLong(2), rs.getLong(2)
                            + " writes queued and never replayed", "the script's replay (mig status), or mig rollback"));
                }
            }
        }
        if (db.describe("mig_backups") != null) {
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT version, table_name, file FROM mig_backups")) {
                while (rs.next()) {
                    String location = rs.getString(3);
                    String what = "the backup of " + rs.getString(2) + " by migration " + rs.getString(1) + " (" + location + ")";
                    if (Locations.isObject(location)) {
                        String problem = objectProblem(location);
                        if (problem != null) {
                            findings.add(new Finding(store, rs.getString(2), problem.startsWith("missing") ? Finding.BACKUP_MISSING
                                    : Finding.BACKUP_ALTERED, 1, what + " " + problem, "restore the object from your copies"));
                        }
                        continue;
                    }
                    Path file = Path.of(location);
                    if (!Files.exists(file) || !Files.exists(BackupFile.manifestPath(file))) {
                        findings.add(new Finding(store, rs.getString(2), Finding.BACKUP_MISSING, 1, what + " is missing: mig "
                                + "rollback " + rs.getString(1) + " cannot restore it", "restore the file from your copies"));
                        continue;
                    }
                    String altered = altered(file);
                    if (altered != null) {
                        findings.add(new Finding(store, rs.getString(2), Finding.BACKUP_ALTERED, 1, what + " no longer matches "
                                + "its manifest: " + altered, "restore the file from your copies"));
                    }
                }
            }
        }
        db.commit();
    }

    private final Map<String, String> hashed = new HashMap<>();

    /**
     * An object backup: missing (it or its manifest), or not matching its manifest - read back once per watch
     * process (objects are not edited in place; a rewrite by mig replaces the manifest too); null when fine.
     */
    private String objectProblem(String location) {
        try {
            Storage storage = Locations.open(location, environment, Path.of(""));
            if (!storage.exists() || storage.readManifest() == null) {
                return "missing (the object or its manifest): mig rollback cannot restore it";
            }
            String known = hashed.get(location);
            if (known == null) {
                BackupFile.Manifest manifest = BackupFile.readManifest(storage);
                String sha = BackupFile.sha256Hex(storage);
                known = sha.equals(manifest.sha256()) ? "ok" : "no longer matches its manifest: sha256 " + sha.substring(0, 12) + "...";
                hashed.put(location, known);
            }
            return known.equals("ok") ? null : known;
        } catch (IOException | RuntimeException e) {
            return "cannot be read: " + Database.rootMessage(e);
        }
    }

    /**
     * Null when the backup's bytes still have the sha256 its manifest recorded (mig verified its rows
     * against the table when it wrote it). Hashed again only when its size or time changed since the last
     * check: a watch that runs for months does not read every backup every interval.
     */
    private String altered(Path file) {
        try {
            String stamp = Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
            String known = hashed.get(file.toString());
            if (known != null && known.startsWith(stamp + "=")) {
                return known.endsWith("=ok") ? null : known.substring(known.indexOf('=') + 1);
            }
            BackupFile.Manifest manifest = BackupFile.readManifest(file);
            String sha = BackupFile.sha256Hex(file);
            String result = sha.equals(manifest.sha256()) ? null : "sha256 " + sha.substring(0, 12) + "..., the manifest says "
                    + manifest.sha256().substring(0, Math.min(12, manifest.sha256().length())) + "...";
            hashed.put(file.toString(), stamp + "=" + (result == null ? "ok" : result));
            return result;
        } catch (IOException | RuntimeException e) {
            return Database.rootMessage(e);
        }
    }

    /** A store mig never migrated: watched against what inspect sees (every row counts). */
    private void neverMigrated(Database db, String store, Map<String, Long> rows, List<Finding> findings) throws SQLException {
        findings.add(new Finding(store, null, Finding.NEVER_MIGRATED, 1, "mig never migrated this store (no mig_snapshot): "
                + "watched against what mig inspect sees", "mig inspect " + store));
        for (String name : db.tables()) {
            TableInfo t = db.describe(name);
            String format = Formats.recognise(t);
            if (name.toLowerCase(Locale.ROOT).startsWith("mig_") || format.equals("-")) {
                continue;
            }
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + db.dialect().table(name))) {
                rs.next();
                rows.put(name, rs.getLong(1));
            }
            LegacyRows.Found found = LegacyRows.count(db, t, format, 0L, Instant.EPOCH);
            if (found.total() > 0) {
                findings.add(new Finding(store, name, Finding.LEGACY_WRITES, found.total(), found.total() + " rows in a legacy "
                        + "format (" + found.hazards() + ")", "mig inspect " + store));
            }
        }
    }
}
