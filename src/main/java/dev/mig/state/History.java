package dev.mig.state;

import dev.mig.db.Database;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import dev.mig.syntax.TableRef;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The mig_history table on the state connection: which versions ran, with which script text. */
public final class History {
    /** One recorded version; null fields when absent. */
    public record Entry(String version, String description, String script, String sha256, String appliedAt,
                        long durationMs, boolean success) {
    }

    static final StateTable HISTORY = new StateTable("mig_history", "version TEXT PRIMARY KEY, description TEXT, script TEXT, "
            + "sha256 TEXT, applied_at TEXT, duration_ms BIGINT, success INTEGER");
    static final StateTable BACKUPS = new StateTable("mig_backups", "version TEXT, script TEXT, conn TEXT, table_name TEXT, "
            + "file TEXT, digest TEXT, queue_seq BIGINT, created_at TEXT");
    static final StateTable MAPS = new StateTable("mig_maps", "source TEXT, target TEXT, statement TEXT, recorded_at TEXT, "
            + "PRIMARY KEY (source, target)");

    private History() {
    }

    public static void ensure(Database db) throws SQLException {
        HISTORY.create(db);
    }

    /** The entry for a version, or null (also when the table does not exist yet). */
    public static Entry find(Database db, String version) {
        try {
            List<Entry> found = HISTORY.select(db, "version, description, script, sha256, applied_at, duration_ms, success",
                    "WHERE version = ?", rs -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getInt(7) == 1), version);
            return found.isEmpty() ? null : found.get(0);
        } catch (SQLException e) {
            throw db.error("cannot read mig_history on '" + db.name() + "'", e);
        } finally {
            db.commit();
        }
    }

    public static void record(Database db, Entry entry) {
        try {
            HISTORY.create(db);
            HISTORY.delete(db, "WHERE version = ?", entry.version());
            HISTORY.insert(db, entry.version(), entry.description(), entry.script(), entry.sha256(), entry.appliedAt(),
                    entry.durationMs(), entry.success());
            db.schemaChanged();
            db.commit();
        } catch (SQLException e) {
            throw db.error("cannot write mig_history on '" + db.name() + "'", e);
        }
    }

    /** Marks a version pending again (mig rollback): its mig_history row goes. */
    public static void forget(Database db, String version) {
        try {
            HISTORY.delete(db, "WHERE version = ?", version);
            db.commit();
        } catch (SQLException e) {
            throw db.error("cannot update mig_history on '" + db.name() + "'", e);
        }
    }

    /** Records a backup on the state connection, so that mig rollback VERSION can find it later. */
    public static void recordBackup(Database state, String version, String script, BackupTaken backup) {
        TableRef table = backup.table();
        try {
            BACKUPS.create(state);
            BACKUPS.insert(state, version, script, table.conn(), table.table(), backup.location(), backup.digest(), backup.queueSeq(),
                    Instant.now().toString());
            state.schemaChanged();
        } catch (SQLException e) {
            throw state.error("cannot write mig_backups on '" + state.name() + "'", e);
        }
    }

    /** A verified backup of a table: the file, its digest, and the queue position it was taken at. */
    public record BackupTaken(TableRef table, String location, String digest, long queueSeq) {
    }

    /** Every backup file recorded on this connection (any version), as table name -> file path. */
    public static List<String[]> allBackupFiles(Database state) {
        try {
            return BACKUPS.select(state, "table_name, file", "ORDER BY created_at", rs -> new String[] {rs.getString(1), rs.getString(2)});
        } catch (SQLException e) {
            throw state.error("cannot read mig_backups on '" + state.name() + "'", e);
        }
    }

    /** After a backup file was rewritten (a person forgotten): the digest rollback verifies it by. */
    public static void backupRewritten(Database state, String file, String digest) {
        try (PreparedStatement ps = state.connection().prepareStatement("UPDATE mig_backups SET digest = ? WHERE file = ?")) {
            ps.setString(1, digest);
            ps.setString(2, file);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw state.error("cannot update mig_backups on '" + state.name() + "'", e);
        }
    }

    /** The backups a version took, oldest first. */
    public static List<BackupTaken> backups(Database state, String version) {
        try {
            return BACKUPS.select(state, "conn, table_name, file, digest, queue_seq", "WHERE version = ? ORDER BY created_at",
                    rs -> new BackupTaken(new TableRef(rs.getString(1), rs.getString(2), Span.NONE), rs.getString(3), rs.getString(4),
                            rs.getLong(5)), version);
        } catch (SQLException e) {
            throw state.error("cannot read mig_backups on '" + state.name() + "'", e);
        }
    }

    /** Remembers a map's text so a replay in a later script uses the same map. */
    public static void recordMap(Database state, Stmt.MapTable map) {
        try {
            MAPS.create(state);
            MAPS.delete(state, "WHERE source = ? AND target = ?", map.source().toString(), map.target().toString());
            MAPS.insert(state, map.source().toString(), map.target().toString(), Printer.statement(map), Instant.now().toString());
            state.schemaChanged();
        } catch (SQLException e) {
            throw state.error("cannot write mig_maps on '" + state.name() + "'", e);
        }
    }

    /** Every map recorded from {@code source}, any target (a text that no longer parses is skipped). */
    public static List<Stmt.MapTable> recordedMapsFrom(Database state, String source) {
        try {
            List<Stmt.MapTable> out = new ArrayList<>();
            for (String text : MAPS.select(state, "statement", "WHERE source = ?", rs -> rs.getString(1), source)) {
                Stmt.MapTable map = parsedMap(text);
                if (map != null) {
                    out.add(map);
                }
            }
            return out;
        } catch (SQLException e) {
            throw state.error("cannot read mig_maps on '" + state.name() + "'", e);
        }
    }

    /** The last map source -> target recorded, or null. */
    public static Stmt.MapTable recordedMap(Database state, String source, String target) {
        try {
            List<String> texts = MAPS.select(state, "statement", "WHERE source = ? AND target = ?", rs -> rs.getString(1), source, target);
            return texts.isEmpty() ? null : parsedMap(texts.get(0));
        } catch (SQLException e) {
            throw state.error("cannot read mig_maps on '" + state.name() + "'", e);
        }
    }

    /** A recorded statement text as the map it is; null when it no longer parses as one. */
    private static Stmt.MapTable parsedMap(String text) {
        ParseResult parsed = text == null ? null : Syntax.parse("mig_maps", text);
        return parsed != null && parsed.ok() && parsed.script().statements().get(0) instanceof Stmt.MapTable m ? m : null;
    }
}
