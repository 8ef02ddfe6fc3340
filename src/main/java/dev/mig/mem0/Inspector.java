package dev.mig.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.Output;
import dev.mig.data.Timestamps;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.db.TableInfo;
import dev.mig.faiss.FaissStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * {@code mig inspect URL...}: what a mem0 store is, every hazard of shared/MEM0.md found in it with
 * counts, and the pack scripts to run with their variables. Opens every store readonly and writes
 * nothing anywhere.
 */
public final class Inspector {
    private static final Set<String> TELEMETRY = Set.of("mem0migrations", "mem0_migrations", "mem0-migrations");
    private final Output out;
    private final Set<String> advice = new LinkedHashSet<>();
    /** Steps that come after every other one (moving a history that is current to PostgreSQL). */
    private final Set<String> last = new LinkedHashSet<>();

    public Inspector(Output out) {
        this.out = out;
    }

    public void inspect(List<String> arguments) {
        List<String> urls = new ArrayList<>();
        for (String a : arguments) {
            Path dir = a.startsWith("jdbc:") ? null : Path.of(a);
            if (dir != null && Files.isDirectory(dir) && QdrantLocal.isStore(dir)) {
                QdrantInspect.inspect(dir, out::line, last::add); // Python mem0's default vector store, a local Qdrant
            } else if (dir != null && FaissStore.isStore(dir)) {
                FaissInspect.inspect(dir, out::line, last::add); // mem0's FAISS store
            } else if (dir != null && Files.isDirectory(dir)) {
                LocalStore.inspectDirectory(dir, out::line, advice::add, urls::add); // the TS SDK's old and new default files
            } else {
                urls.add(a);
            }
        }
        int n = 0;
        for (String url : urls) {
            n++;
            Database db = Database.open("store" + n, url, true, false);
            try {
                out.line("store " + JdbcUrls.redact(url));
                for (String table : db.tables()) {
                    table(db, url, db.describe(table));
                }
            } catch (SQLException e) {
                throw db.error("cannot inspect", e);
            } finally {
                db.close();
            }
        }
        advice.addAll(last);
        out.line("");
        if (advice.isEmpty()) {
            out.line("Nothing of mem0's to migrate was found.");
            return;
        }
        out.line("What to run, in this order (set MIG_OUT to a directory for backups, archives and logs):");
        int i = 0;
        for (String line : advice) {
            out.line("  " + (++i) + ". " + line);
        }
    }

    private void table(Database db, String url, TableInfo t) throws SQLException {
        String name = t.name();
        String lower = name.toLowerCase(Locale.ROOT);
        Set<String> cols = new LinkedHashSet<>(t.columnNames().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
        long rows = count(db, "SELECT count(*) FROM " + db.dialect().table(name));
        String format = Formats.recognise(t);
        if (lower.startsWith("mig_")) {
            return;
        }
        if (TELEMETRY.contains(lower) || lower.equals("memory_migrations")) {
            line(name, rows, "internal: mem0's telemetry table (" + (lower.equals("memory_migrations") ? "TS" : "Python")
                    + "); the pack leaves it untouched");
            return;
        }
        if (cols.containsAll(Formats.COLLECTION) && lower.endsWith("_entities")) {
            line(name, rows, "internal: entity store (2.0+); the pack leaves it untouched");
            return;
        }
        boolean orphan = lower.equals("old_history") || lower.equals("history_old");
        if (orphan || lower.equals("history")) {
            history(db, url, t, cols, rows, orphan);
        } else if (lower.equals("memory_history") && cols.containsAll(Formats.TS_HISTORY)) {
            if (!db.dialect().applicationFile()) {
                line(name, rows, "TypeScript SDK memory_history in PostgreSQL: the table of its Supabase history store "
                        + "(historyStore.provider supabase reads it through Supabase's REST API)");
                return;
            }
            line(name, rows, "TypeScript SDK memory_history: the TS SDK's CURRENT schema (not legacy; do not move it)");
            detail("the TS SDK reads it while historyStore.provider is sqlite (the default); with provider supabase it "
                    + "reads memory_history in Supabase's PostgreSQL instead, and this file's events are no longer seen");
            advice.add(env("MEM0_TS_HISTORY_URL", url) + " mig run scripts/mem0/005_ts_memory_history_sqlite.mig   "
                    + "(backup and checks; switching historyStore to supabase: 014_ts_history_to_supabase.mig, then 014b; "
                    + "switching to the Python SDK: 013_ts_history_to_python_history.mig)");
        } else if (LocalStore.is(db, t)) {
            line(name, rows, "TypeScript SDK local vector store (provider memory)");
            Integer dims = LocalStore.describe(db, t, this::detail);
            last.add(LocalStore.moveAdvice(url, dims));
        } else if (cols.containsAll(Formats.COLLECTION)) {
            collection(db, url, t, rows);
        } else if (!format.equals("-")) {
            line(name, rows, format);
        }
    }

    private void history(Database db, String url, TableInfo t, Set<String> cols, long rows, boolean orphan) throws SQLException {
        int gen = cols.containsAll(Formats.HISTORY_G0) ? 0 : cols.contains("new_value") ? 1 : cols.containsAll(Formats.HISTORY_G2) ? 2 : -1;
        String name = t.name();
        String what = "history G" + gen + (orphan ? ", ORPHANED" : "");
        if (gen < 0) {
            line(name, rows, "history with unknown columns " + cols);
            return;
        }
        line(name, rows, what);
        if (orphan && rows > 0) {
            detail(rows + " rows no mem0 release reads: " + (name.equalsIgnoreCase("old_history") && gen == 2
                    ? "left by a 0.1.34-0.1.99 start on a G2 history (a stale process after a migration)"
                    : name.equalsIgnoreCase("old_history") ? "left by mem0 0.0.10's restart bug (or a downgrade)"
                    : "left by mem0 0.1.100-0.1.106 (renamed, then hung); current mem0 DROPS it at its next rebuild"));
        }
        String time = gen == 0 ? "timestamp" : "created_at";
        long lowercase = count(db, "SELECT count(*) FROM " + db.dialect().table(name) + " WHERE event IN ('add', 'update', 'delete')");
        if (lowercase > 0) {
            detail(lowercase + " lowercase events (written by mem0 0.0.x)");
        }
        Map<String, Map<String, Long>> spellings = new TreeMap<>();
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT upper(event), " + db.dialect().quote(time) + " FROM "
                + db.dialect().table(name)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object v = rs.getObject(2);
                String era = Timestamps.era(v);
                spellings.computeIfAbsent(era, k -> new TreeMap<>()).merge(String.valueOf(rs.getString(1)), 1L, Long::sum);
            }
        }
        StringBuilder s = new StringBuilder(time + " spellings:");
        spellings.forEach((era, byEvent) -> s.append(' ').append(era.equals("missing") ? "NULL" : era.equals("epoch")
                ? "INTEGER epoch" : era).append(' ').append(byEvent));
        detail(s.toString());
        if (!db.dialect().applicationFile()) {
            detail("a table in PostgreSQL: no Python mem0 release reads history here (it reads only its SQLite file, "
                    + "history_db_path); this is a copy (010) or another tool's table");
        } else if (!orphan) {
            detail("Python mem0 reads and writes history only in this file (history_db_path / HISTORY_DB_PATH)");
            order(db, name, time);
        }
        if (orphan) {
            if (rows > 0) {
                boolean g2Orphan = name.equalsIgnoreCase("old_history") && gen == 2;
                if (g2Orphan) {
                    detail("G2-shaped (no new_value): upgrade that process before recovering");
                }
                advice.add(env("MEM0_HISTORY_URL", url) + " mig run scripts/mem0/" + (!name.equalsIgnoreCase("old_history")
                        ? "009_history_orphans_history_old.mig" : g2Orphan ? "008b_history_orphans_old_history_g2.mig"
                        : "008_history_orphans_old_history.mig") + "   (after history is current)");
            }
            return;
        }
        switch (gen) {
            case 0 -> {
                detail("current mem0 would rebuild this table keeping only id, memory_id, event, is_deleted: "
                        + "prev_value, new_value and timestamp of " + rows + " rows would be lost");
                advice.add(env("MEM0_HISTORY_G0_URL", url) + " mig run scripts/mem0/001_history_g0_sqlite.mig   "
                        + "(in place: the file stays where mem0 reads it; upgrade the application to current mem0 at the cut-over)");
            }
            case 1 -> {
                long nv = count(db, "SELECT count(*) FROM " + db.dialect().table(name) + " WHERE new_value IS NOT NULL");
                detail("current mem0 would rebuild this table and drop new_value (" + nv + " rows hold one)");
                advice.add(env("MEM0_HISTORY_G1_URL", url) + " mig run scripts/mem0/002_history_g1_sqlite.mig   "
                        + "(in place; do not restart a 0.1.x process on the file afterwards: upgrade it to current mem0)");
            }
            default -> {
                long current = spellings.getOrDefault("utc", Map.of()).values().stream().mapToLong(Long::longValue).sum()
                        + spellings.getOrDefault("missing", Map.of()).values().stream().mapToLong(Long::longValue).sum();
                if (lowercase > 0 || current < rows) {
                    advice.add(env("MEM0_HISTORY_URL", url) + " mig run scripts/mem0/007_history_g2_sqlite.mig");
                }
            }
        }
        if (db.dialect().applicationFile()) {
            last.add(env("MEM0_HISTORY_URL", url) + " MEM0_PG_URL=... mig run scripts/mem0/010_history_copy_to_postgres.mig   "
                    + "(optional, last: a COPY in PostgreSQL for other readers, refreshed on every run; mem0 keeps reading the file)");
        }
    }

    private void collection(Database db, String url, TableInfo t, long rows) throws SQLException {
        String name = t.name();
        long epoch = 0;
        long camel = 0;
        long tsKeys = 0;
        long noUpdated = 0;
        long noLemma = 0;
        long badHash = 0;
        long noCreated = 0;
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT " + db.dialect().asText(db.dialect().quote("payload"))
                + " FROM " + db.dialect().table(name));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode p;
                try {
                    p = rs.getString(1) == null ? null : Values.parseJson(rs.getString(1));
                } catch (RuntimeException e) {
                    continue;
                }
                if (p == null || !p.isObject()) {
                    continue;
                }
                if (p.has("userId") || p.has("agentId") || p.has("runId")) {
                    camel++;
                }
                if (p.has("createdAt")) {
                    tsKeys++;
                }
                JsonNode created = p.has("createdAt") ? p.get("createdAt") : p.get("created_at");
                if (created == null || created.isNull()) {
                    noCreated++;
                } else if (created.isNumber()) {
                    epoch++;
                }
                if (!p.hasNonNull(p.has("createdAt") ? "updatedAt" : "updated_at")) {
                    noUpdated++;
                }
                if (!p.has("text_lemmatized") && !p.has("textLemmatized")) {
                    noLemma++;
                }
                String data = p.path("data").asText(null);
                if (data != null && !DigestUtils.md5Hex(data.getBytes(StandardCharsets.UTF_8)).equals(p.path("hash").asText(""))) {
                    badHash++;
                }
            }
        }
        boolean ts = tsKeys * 2 > rows;
        line(name, rows, "pgvector collection, " + (ts ? "TypeScript SDK payloads" : "Python payloads"));
        detail("payloads: " + epoch + " epoch created_at" + (epoch > 0 ? " (mem0 1.0.8+ cannot delete these memories)" : "")
                + ", " + noCreated + " without created_at, " + noUpdated + " without updated_at, " + badHash
                + " with a missing or stale hash, " + noLemma + " without text_lemmatized"
                + (camel > 0 ? ", " + camel + " TS v2 camelCase ids (invisible to TS v3 filters)" : ""));
        boolean pg = !db.dialect().applicationFile(); // a server database: mem0's pgvector store, where keyword search runs
        boolean gin = db.dialect().hasIndex(db.connection(), name, name + "_text_lemmatized_idx");
        if (pg && !ts) {
            detail(gin ? "keyword-search index " + name + "_text_lemmatized_idx present"
                    : "no " + name + "_text_lemmatized_idx (made before mem0 2.0): keyword search scans the whole table, "
                    + "slower but not blind");
        }
        if (noLemma > 0) {
            detail(noLemma + " memories without " + (ts ? "textLemmatized" : "text_lemmatized") + ": keyword search ("
                    + (ts ? "TS 3.x" : "Python 2.0+") + ") never finds them" + (ts ? "; the TS SDK recomputes it when a memory "
                    + "is updated through v3 (mig does not: its value depends on the optional natural package)" : ""));
        }
        String rename = name.equals(ts ? "memories" : "mem0") ? "" : " (edit the table name " + (ts ? "memories" : "mem0")
                + " in the script to " + name + ")";
        if (ts) {
            advice.add(env("MEM0_COLLECTION_URL", url) + " mig run scripts/mem0/011_ts_collection_v2_to_v3.mig" + rename);
        } else {
            advice.add(env("MEM0_COLLECTION_URL", url) + " mig run scripts/mem0/006_collection_payloads.mig" + rename);
            if (pg && (noLemma > 0 || !gin)) {
                advice.add(env("MEM0_COLLECTION_URL", url) + " mig run scripts/mem0/012_collection_text_lemmatized.mig" + rename
                        + "   (opt-in: keyword search for pre-2.0 memories)");
            }
        }
    }

    /**
     * mem0's get_history returns one memory's events ORDER BY created_at (as TEXT, NULLs first), then
     * DATETIME(updated_at); G0 by timestamp (mem0/memory/storage.py). Within one spelling text order is
     * time order, with or without a fraction ('+', '-' and the end of the text all sort below '.').
     * What breaks it is one instant, or close ones, in different spellings: naive ' ' beside ISO 'T',
     * Pacific local times beside UTC, INTEGER epochs before all text. Runs mem0's own ordering and
     * counts the events that come back before an earlier one (streamed: one memory at a time).
     */
    private void order(Database db, String table, String column) throws SQLException {
        boolean g0 = column.equals("timestamp");
        long outOfOrder = 0;
        long memories = 0;
        long nullDeletes = 0;
        String memory = null;
        Instant[] previous = null;
        boolean counted = false;
        String sql = "SELECT memory_id, " + (g0 ? "timestamp, NULL" : "created_at, updated_at") + ", upper(event) FROM "
                + db.dialect().table(table) + " ORDER BY memory_id, " + (g0 ? "timestamp" : "created_at, DATETIME(updated_at)");
        try (PreparedStatement ps = db.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String m = rs.getString(1);
                if (!Objects.equals(m, memory)) {
                    memory = m;
                    previous = null;
                    counted = false;
                }
                if (rs.getObject(2) == null) {
                    nullDeletes += "DELETE".equals(rs.getString(4)) ? 1 : 0;
                    continue;
                }
                Instant[] at;
                try {
                    Instant updated = rs.getObject(3) == null ? Instant.MIN
                            : Timestamps.instant(rs.getObject(3)).truncatedTo(ChronoUnit.SECONDS);
                    at = new Instant[] {Timestamps.instant(rs.getObject(2)), updated};
                } catch (RuntimeException e) {
                    continue;
                }
                if (previous != null && (at[0].isBefore(previous[0]) || at[0].equals(previous[0]) && at[1].isBefore(previous[1]))) {
                    outOfOrder++;
                    memories += counted ? 0 : 1;
                    counted = true;
                } else {
                    previous = at;
                }
            }
        }
        if (outOfOrder > 0) {
            detail("get_history order: " + outOfOrder + " events of " + memories + " memories come back before an earlier one: "
                    + "the same or close instants in different spellings (naive, Pacific, UTC, INTEGER epoch) sort by spelling, "
                    + "not by time; values with and without a fraction in one spelling sort correctly");
        }
        if (nullDeletes > 0) {
            detail(nullDeletes + " DELETE events without " + column + " (mem0 before 1.0.8): get_history returns them first, "
                    + "before their memory's ADD; mig keeps them NULL (the time was never written)");
        }
    }

    private void line(String table, long rows, String what) {
        out.line(String.format("  %-22s %8d rows  %s", table, rows, what));
    }

    private void detail(String text) {
        out.line("      " + text);
    }

    private static String env(String name, String url) {
        return name + "='" + JdbcUrls.redact(url) + "'";
    }

    private static long count(Database db, String sql) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
