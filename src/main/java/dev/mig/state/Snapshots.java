package dev.mig.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.mem0.Formats;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * mig_snapshot, in each database a run wrote to: how every mem0 table was left when the run ended
 * (columns and types, indexes, rows, the last storage position, the mem0 format), what {@code mig watch}
 * compares the store with later. One row a table, replaced by the next run.
 */
public final class Snapshots {
    /** One table as a run left it. {@code position}: SQLite's last rowid (rows after it are new), else null. */
    public record Table(String name, String format, Map<String, String> columns, List<String> indexes, long rows, Long position,
                        String recordedAt, String version, String script) {
    }

    private static final StateTable TABLE = new StateTable("mig_snapshot", "table_name TEXT PRIMARY KEY, format TEXT, columns TEXT, "
            + "indexes TEXT, row_count BIGINT, position BIGINT, recorded_at TEXT, version TEXT, script TEXT");

    private Snapshots() {
    }

    /** Records every mem0 table of the database (mig's own tables left out); commits. */
    public static void record(Database db, String version, String script) {
        try (Statement s = db.connection().createStatement()) {
            TABLE.create(db);
            String now = Instant.now().toString();
            TABLE.delete(db, ""); // the last run says how the whole database was left
            for (String name : db.tables()) {
                TableInfo t = db.describe(name);
                String format = Formats.recognise(t);
                if (t == null || name.toLowerCase(Locale.ROOT).startsWith("mig_") || format.equals("-")) {
                    continue;
                }
                ObjectNode columns = Values.JSON.createObjectNode();
                for (Column c : t.columns()) {
                    columns.put(c.name(), c.declaredType());
                }
                ArrayNode indexes = Values.JSON.createArrayNode();
                db.dialect().indexNames(db.connection(), name).forEach(indexes::add);
                String position = db.dialect().changePosition(db, t);
                long rows;
                Long last = null;
                try (ResultSet rs = s.executeQuery("SELECT count(*)" + (position == null ? "" : ", max(" + position + ")")
                        + " FROM " + db.dialect().table(name))) {
                    rs.next();
                    rows = rs.getLong(1);
                    if (position != null) {
                        last = rs.getLong(2);
                    }
                }
                TABLE.insert(db, name, format, columns.toString(), indexes.toString(), rows, last, now, version, script);
            }
            db.schemaChanged();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw db.error("cannot write mig_snapshot on '" + db.name() + "'", e);
        }
    }

    /** What the last run recorded in this database; empty when mig never migrated it. */
    public static List<Table> read(Database db) throws SQLException {
        List<Table> out = TABLE.select(db, "table_name, format, columns, indexes, row_count, position, recorded_at, version, script",
                "ORDER BY table_name", rs -> {
                    Map<String, String> columns = new LinkedHashMap<>();
                    Values.parseJson(rs.getString(3)).fields().forEachRemaining(f -> columns.put(f.getKey(), f.getValue().asText()));
                    List<String> indexes = new ArrayList<>();
                    Values.parseJson(rs.getString(4)).forEach(n -> indexes.add(n.asText()));
                    long position = rs.getLong(6);
                    return new Table(rs.getString(1), rs.getString(2), columns, indexes, rs.getLong(5), rs.wasNull() ? null : position,
                            rs.getString(7), rs.getString(8), rs.getString(9));
                });
        db.commit();
        return out;
    }
}
