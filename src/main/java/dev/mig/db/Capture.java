package dev.mig.db;

import dev.mig.db.internal.Postgres;
import dev.mig.db.internal.Sqlite;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The triggers of {@code freeze}: every INSERT, UPDATE and DELETE on a table, from any client, is
 * recorded in {@code mig_queue} (seq, table_name, op, key, old_key, row as JSON, captured_at) in
 * the same database, so applications keep writing while data moves and nothing is lost.
 */
public final class Capture {
    private Capture() {
    }

    public static void ensureQueue(Database db) throws SQLException {
        try (Statement s = db.connection().createStatement()) {
            if (db.dialect() instanceof Postgres) {
                s.execute("CREATE TABLE IF NOT EXISTS mig_queue (seq BIGSERIAL PRIMARY KEY, table_name TEXT NOT NULL, "
                        + "op TEXT NOT NULL, key JSONB, old_key JSONB, row JSONB, captured_at TIMESTAMPTZ NOT NULL DEFAULT now())");
                s.execute("""
                        CREATE OR REPLACE FUNCTION mig_capture() RETURNS trigger LANGUAGE plpgsql AS $mig$
                        DECLARE
                          keys text[] := TG_ARGV[1:];
                          k jsonb;
                          ok jsonb;
                        BEGIN
                          IF TG_OP = 'DELETE' THEN
                            SELECT jsonb_object_agg(c, to_jsonb(OLD) -> c) INTO k FROM unnest(keys) c;
                            INSERT INTO mig_queue (table_name, op, key, row) VALUES (TG_ARGV[0], 'DELETE', k, to_jsonb(OLD));
                            RETURN OLD;
                          END IF;
                          SELECT jsonb_object_agg(c, to_jsonb(NEW) -> c) INTO k FROM unnest(keys) c;
                          IF TG_OP = 'UPDATE' THEN
                            SELECT jsonb_object_agg(c, to_jsonb(OLD) -> c) INTO ok FROM unnest(keys) c;
                          END IF;
                          INSERT INTO mig_queue (table_name, op, key, old_key, row) VALUES (TG_ARGV[0], TG_OP, k, ok, to_jsonb(NEW));
                          RETURN NEW;
                        END $mig$""");
            } else {
                s.execute("CREATE TABLE IF NOT EXISTS mig_queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, "
                        + "op TEXT NOT NULL, key TEXT, old_key TEXT, row TEXT, "
                        + "captured_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");
            }
        }
        db.schemaChanged();
    }

    /** The columns that identify a row in the queue: the primary key, else SQLite's rowid. */
    public static List<String> keyColumns(Database db, TableInfo table) {
        List<String> pk = table.primaryKey();
        if (!pk.isEmpty()) {
            return pk;
        }
        if (db.dialect() instanceof Sqlite) {
            return List.of("rowid");
        }
        throw new IllegalArgumentException(table.name() + " has no primary key: capture needs one to replay by key");
    }

    public static void install(Database db, TableInfo table) throws SQLException {
        ensureQueue(db);
        Dialect d = db.dialect();
        List<String> key = keyColumns(db, table);
        try (Statement s = db.connection().createStatement()) {
            if (d instanceof Postgres) {
                StringBuilder args = new StringBuilder(literal(table.name()));
                for (String k : key) {
                    args.append(", ").append(literal(k));
                }
                s.execute("DROP TRIGGER IF EXISTS mig_capture ON " + d.table(table.name()));
                s.execute("CREATE TRIGGER mig_capture AFTER INSERT OR UPDATE OR DELETE ON " + d.table(table.name())
                        + " FOR EACH ROW EXECUTE FUNCTION mig_capture(" + args + ")");
                return;
            }
            for (String op : List.of("INSERT", "UPDATE", "DELETE")) {
                String name = d.quote(triggerName(table.name(), op));
                String image = op.equals("DELETE") ? "OLD" : "NEW";
                String oldKey = op.equals("UPDATE") ? jsonObject(d, "OLD", key) : "NULL";
                s.execute("DROP TRIGGER IF EXISTS " + name);
                s.execute("CREATE TRIGGER " + name + " AFTER " + op + " ON " + d.table(table.name()) + " BEGIN "
                        + "INSERT INTO mig_queue (table_name, op, key, old_key, row) VALUES (" + literal(table.name()) + ", '"
                        + op + "', " + jsonObject(d, image, key) + ", " + oldKey + ", "
                        + jsonObject(d, image, table.columnNames()) + "); END");
            }
        }
    }

    public static void remove(Database db, String table) throws SQLException {
        Dialect d = db.dialect();
        try (Statement s = db.connection().createStatement()) {
            if (d instanceof Postgres) {
                if (db.describe(table) != null) {
                    s.execute("DROP TRIGGER IF EXISTS mig_capture ON " + d.table(table));
                }
                return;
            }
            for (String op : List.of("INSERT", "UPDATE", "DELETE")) {
                s.execute("DROP TRIGGER IF EXISTS " + d.quote(triggerName(table, op)));
            }
        }
    }

    public static boolean installed(Database db, String table) throws SQLException {
        String sql = db.dialect() instanceof Postgres
                ? "SELECT count(*) FROM pg_trigger WHERE tgname = 'mig_capture' AND tgrelid = to_regclass(?)"
                : "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?";
        try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
            ps.setString(1, db.dialect() instanceof Postgres ? db.dialect().table(table) : triggerName(table, "INSERT"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    /** An action whose writes to the table are not captured: the triggers are removed and put back in the same transaction. */
    public interface Action<T> {
        T run() throws SQLException;
    }

    public static <T> T uncaptured(Database db, TableInfo table, Action<T> action) throws SQLException {
        boolean frozen = installed(db, table.name());
        if (frozen) {
            remove(db, table.name());
        }
        T result = action.run();
        if (frozen && db.describe(table.name()) != null) {
            install(db, table);
        }
        return result;
    }

    /** The highest queue seq for a table, 0 when none (or no queue). */
    public static long lastSeq(Database db, String table) throws SQLException {
        if (db.describe("mig_queue") == null) {
            return 0;
        }
        try (PreparedStatement ps = db.connection().prepareStatement(
                "SELECT coalesce(max(seq), 0) FROM mig_queue WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String triggerName(String table, String op) {
        return "mig_capture_" + table.replaceAll("[^A-Za-z0-9_]", "_") + "_" + op.toLowerCase();
    }

    private static String jsonObject(Dialect d, String image, List<String> columns) {
        List<String> args = new ArrayList<>();
        for (String c : columns) {
            args.add(literal(c));
            args.add(image + "." + (c.equals("rowid") ? "rowid" : d.quote(c)));
        }
        return "json_object(" + String.join(", ", args) + ")";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
