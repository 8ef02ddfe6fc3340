package dev.mig.run.state;

import dev.mig.db.Database;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import dev.mig.syntax.TableRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The mig_history table on the state connection: which versions ran, with which script text. */
public final class History {
    /** One recorded version; null fields when absent. */
    public record Entry(String version, String description, String script, String sha256, String appliedAt,
                        long durationMs, boolean success) {
    }

    private History() {
    }

    public static void ensure(Database db) throws SQLException {
        try (Statement s = db.connection().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mig_history (version TEXT PRIMARY KEY, description TEXT, script TEXT, "
                    + "sha256 TEXT, applied_at TEXT, duration_ms BIGINT, success INTEGER)");
        }
    }

    /** The entry for a version, or null (also when the table does not exist yet). */
    public static Entry find(Database db, String version) {
        try {
            if (db.describe("mig_history") == null) {
                return null;
            }
            String sql = "SELECT version, description, script, sha256, applied_at, duration_ms, success FROM mig_history "
                    + "WHERE version = ?";
            try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
                ps.setString(1, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getInt(7) == 1);
                }
            } finally {
                db.commit();
            }
        } catch (SQLException e) {
            throw db.error("cannot read mig_history on '" + db.name() + "'", e);
        }
    }

    public static void record(Database db, Entry entry) {
        try {
            ensure(db);
            try (PreparedStatement delete = db.connection().prepareStatement("DELETE FROM mig_history WHERE version = ?")) {
                delete.setString(1, entry.version());
                delete.executeUpdate();
            }
            String sql = "INSERT INTO mig_history (version, description, script, sha256, applied_at, duration_ms, success) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
                ps.setString(1, entry.version());
                ps.setString(2, entry.description());
                ps.setString(3, entry.script());
                ps.setString(4, entry.sha256());
                ps.setString(5, entry.appliedAt());
                ps.setLong(6, entry.durationMs());
                ps.setInt(7, entry.success() ? 1 : 0);
                ps.executeUpdate();
            }
            db.schemaChanged();
            db.commit();
        } catch (SQLException e) {
            throw db.error("cannot write mig_history on '" + db.name() + "'", e);
        }
    }

    /** Marks a version pending again (mig rollback): its mig_history row goes. */
    public static void forget(Database db, String version) {
        try (PreparedStatement ps = db.connection().prepareStatement("DELETE FROM mig_history WHERE version = ?")) {
            ps.setString(1, version);
            ps.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw db.error("cannot update mig_history on '" + db.name() + "'", e);
        }
    }

    /** Records a backup on the state connection, so that mig rollback VERSION can find it later. */
    public static void recordBackup(Database state, String version, String script, BackupTaken backup) {
        TableRef table = backup.table();
        try {
            try (Statement s = state.connection().createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS mig_backups (version TEXT, script TEXT, conn TEXT, table_name TEXT, "
                        + "file TEXT, digest TEXT, queue_seq BIGINT, created_at TEXT)");
            }
            try (PreparedStatement ps = state.connection().prepareStatement("INSERT INTO mig_backups (version, script, conn, "
                    + "table_name, file, digest, queue_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, version);
                ps.setString(2, script);
                ps.setString(3, table.conn());
                ps.setString(4, table.table());
                ps.setString(5, backup.location());
                ps.setString(6, backup.digest());
                ps.setLong(7, backup.queueSeq());
                ps.setString(8, java.time.Instant.now().toString());
                ps.executeUpdate();
            }
            state.schemaChanged();
        } catch (SQLException e) {
            throw state.error("cannot write mig_backups on '" + state.name() + "'", e);
        }
    }

    /** A verified backup of a table: the file, its digest, and the queue position it was taken at. */
    public record BackupTaken(TableRef table, String location, String digest, long queueSeq) {
    }

    /** Every backup file recorded on this connection (any version), as table name -> file path. */
    public static java.util.List<String[]> allBackupFiles(Database state) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        if (state.describe("mig_backups") == null) {
            return out;
        }
        try (Statement s = state.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, file FROM mig_backups ORDER BY created_at")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        } catch (SQLException e) {
            throw state.error("cannot read mig_backups on '" + state.name() + "'", e);
        }
        return out;
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
    public static java.util.List<BackupTaken> backups(Database state, String version) {
        java.util.List<BackupTaken> out = new java.util.ArrayList<>();
        if (state.describe("mig_backups") == null) {
            return out;
        }
        try (PreparedStatement ps = state.connection().prepareStatement("SELECT conn, table_name, file, digest, queue_seq "
                + "FROM mig_backups WHERE version = ? ORDER BY created_at")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new BackupTaken(new TableRef(rs.getString(1), rs.getString(2),
                            Span.NONE), rs.getString(3), rs.getString(4), rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw state.error("cannot read mig_backups on '" + state.name() + "'", e);
        }
        return out;
    }

    /** Remembers a map's text so a replay in a later script uses the same map. */
    public static void recordMap(Database state, Stmt.MapTable map) {
        try {
            try (Statement s = state.connection().createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS mig_maps (source TEXT, target TEXT, statement TEXT, recorded_at TEXT, "
                        + "PRIMARY KEY (source, target))");
            }
            try (PreparedStatement del = state.connection().prepareStatement("DELETE FROM mig_maps WHERE source = ? AND target = ?")) {
                del.setString(1, map.source().toString());
                del.setString(2, map.target().toString());
                del.executeUpdate();
            }
            try (PreparedStatement ps = state.connection().prepareStatement(
                    "INSERT INTO mig_maps (source, target, statement, recorded_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, map.source().toString());
                ps.setString(2, map.target().toString());
                ps.setString(3, Printer.statement(map));
                ps.setString(4, java.time.Instant.now().toString());
                ps.executeUpdate();
            }
            state.schemaChanged();
        } catch (SQLException e) {
            throw state.error("cannot write mig_maps on '" + state.name() + "'", e);
        }
    }

    /** Every map recorded from {@code source}, any target (a text that no longer parses is skipped). */
    public static java.util.List<Stmt.MapTable> recordedMapsFrom(Database state, String source) {
        java.util.List<Stmt.MapTable> out = new java.util.ArrayList<>();
        if (state.describe("mig_maps") == null) {
            return out;
        }
        try (PreparedStatement ps = state.connection().prepareStatement("SELECT statement FROM mig_maps WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Stmt.MapTable map = parsedMap(rs.getString(1));
                    if (map != null) {
                        out.add(map);
                    }
                }
            }
        } catch (SQLException e) {
            throw state.error("cannot read mig_maps on '" + state.name() + "'", e);
        }
        return out;
    }

    /** The last map source -> target recorded, or null. */
    public static Stmt.MapTable recordedMap(Database state, String source, String target) {
        if (state.describe("mig_maps") == null) {
            return null;
        }
        try (PreparedStatement ps = state.connection().prepareStatement(
                "SELECT statement FROM mig_maps WHERE source = ? AND target = ?")) {
            ps.setString(1, source);
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? parsedMap(rs.getString(1)) : null;
            }
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
