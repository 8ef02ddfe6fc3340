package dev.mig.db.internal;

import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import dev.mig.data.InvalidText;
import dev.mig.data.LogicalType;
import dev.mig.data.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** SQLite: dynamic types, so values are bound by their own kind and read back as stored. */
public class Sqlite implements Dialect {
    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        String sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public TableInfo describe(Connection c, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String declared = rs.getString(2) == null ? "" : rs.getString(2);
                    columns.add(new Column(rs.getString(1), declared, LogicalType.of(declared), rs.getInt(4), rs.getBoolean(3)));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        List<List<String>> unique = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_list(?) WHERE \"unique\" AND partial = 0")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
        }
        for (String index : indexes) {
            List<String> cols = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_info(?) ORDER BY seqno")) {
                ps.setString(1, index);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cols.add(rs.getString(1));
                    }
                }
            }
            unique.add(cols);
        }
        return new TableInfo(table, columns, unique);
    }

    @Override
    public Object read(ResultSet rs, int i, Column column) throws SQLException {
        Object value = rs.getObject(i);
        if (value instanceof String s && s.indexOf('\uFFFD') >= 0) {
            // the driver replaced bytes that are not UTF-8 (or the text holds U+FFFD itself): keep the bytes
            InvalidText invalid = InvalidText.ofInvalid(rs.getBytes(i));
            return invalid == null ? s : invalid;
        }
        if (value instanceof Integer n) {
            return n.longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    /**
     * SQLite's own typeof() of each value, one bit a column: a text value is then read as its bytes and
     * decoded here, instead of through the driver's getObject (a type lookup, then a copy through a
     * ByteBuffer: 1.7x the time of reading the bytes, measured on 1,000,000 mem0 history rows). Only in a
     * UTF-8 database, where a text value's bytes are its UTF-8.
     */
    @Override
    public String textBits(Database db, List<Column> columns) throws SQLException {
        if (columns.isEmpty() || columns.size() > 62) {
            return null;
        }
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA encoding")) {
            if (!rs.next() || !"UTF-8".equalsIgnoreCase(rs.getString(1))) {
                return null;
            }
        }
        List<String> bits = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            bits.add("((typeof(" + quote(columns.get(i).name()) + ") = 'text') << " + i + ")");
        }
        return "(" + String.join(" | ", bits) + ")";
    }

    @Override
    public Object readText(ResultSet rs, int i, Column column) throws SQLException {
        byte[] bytes = rs.getBytes(i);
        if (bytes == null) {
            return read(rs, i, column);
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            InvalidText invalid = InvalidText.ofInvalid(bytes); // as read() keeps bytes that are not UTF-8
            return invalid == null ? s : invalid;
        }
        return s;
    }

    @Override
    public void bind(PreparedStatement ps, int i, Object value, Column column) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.NULL);
        } else if (value instanceof Long l) {
            ps.setLong(i, l);
        } else if (value instanceof Integer n) {
            ps.setLong(i, n);
        } else if (value instanceof Boolean b) {
            ps.setLong(i, b ? 1 : 0);
        } else if (value instanceof Double d) {
            ps.setDouble(i, d);
        } else if (value instanceof BigDecimal d) {
            if (column != null && (column.type() == LogicalType.FLOAT || column.type() == LogicalType.INTEGER)) {
                ps.setDouble(i, d.doubleValue());
            } else {
                ps.setString(i, d.toPlainString());
            }
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(i, bytes);
        } else if (value instanceof InvalidText t) {
            ps.setBytes(i, t.bytes()); // the placeholder of a text column casts them back to text: the same bytes
        } else {
            ps.setString(i, Values.text(value));
        }
    }

    @Override
    public String placeholder(Column column) {
        return column != null && column.type() == LogicalType.TEXT ? "CAST(? AS TEXT)" : "?";
    }

    @Override
    public boolean holdsInvalidText() {
        return true;
    }

    @Override
    public String orderKey(Column column) {
        return quote(column.name());
    }

    @Override
    public String table(String table) {
        return quote(table); // SQLite has no schemas in mig's sense; a dot is part of the name
    }

    /**
     * SQLite writers waiting on a lock poll (sleeping up to 100 ms); without a pause between batches
     * mig would take the lock again first every time and starve the application's writes.
     */
    static final long WRITER_PAUSE_MS = 15;

    @Override
    public Sql sql() {
        return Sql.SQLITE;
    }

    @Override
    public String autoIncrementId() {
        return "id INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    public List<String> statements(String script) {
        return SqlScripts.split(script); // the driver runs only the first statement of a string
    }

    @Override
    public String dryRunNote() {
        return "a copy";
    }

    @Override
    public String orderKeyAsText(Column column) {
        return "CAST(" + quote(column.name()) + " AS TEXT)"; // BINARY collation: code point order of UTF-8
    }

    @Override
    public String indexNamesQuery() {
        return "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY 1";
    }

    @Override
    public boolean concurrentWriters() {
        return false;
    }

    @Override
    public void yieldToWriters() {
        try {
            Thread.sleep(WRITER_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean readersBlockWriters(Database db) {
        try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            return !(rs.next() && "wal".equalsIgnoreCase(rs.getString(1)));
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public long storageIdentity(Database db, TableInfo table) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public String storageOrderColumn(Database db, TableInfo table) {
        for (String name : List.of("rowid", "_rowid_", "oid")) {
            if (table.column(name) != null) {
                continue; // a column of that name hides the alias
            }
            try (Statement st = db.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + name + " FROM " + table(table.name()) + " LIMIT 0")) {
                return name;
            } catch (SQLException withoutRowid) {
                return null; // a WITHOUT ROWID table is stored in key order
            }
        }
        return null;
    }

    @Override
    public void endReadBeforeWrite(Database db) {
        db.commit(); // a SQLite transaction that read and then writes can deadlock with an application's write
    }

    @Override
    public void lockAgainstWriters(Statement st, String table) throws SQLException {
        st.executeUpdate("DELETE FROM " + table(table) + " WHERE 0"); // takes SQLite's write lock
    }

    @Override
    public void secureDelete(Database db) throws SQLException {
        db.commit(); // a connection setting, outside a transaction
        try (Statement st = db.connection().createStatement()) {
            st.execute("PRAGMA secure_delete = ON"); // deleted content is overwritten with zeros
        }
    }

    @Override
    public String reclaim(Statement st, String table) throws SQLException {
        st.execute("VACUUM");
        return "storage reclaimed (secure_delete, VACUUM)";
    }

    @Override
    public String removeJsonKey(String table, Column column, List<String> path) {
        String c = quote(column.name());
        String jsonPath = "'$" + String.join("", path.stream().map(p -> ".\"" + p.replace("\"", "\\\"").replace("'", "''") + "\"").toList()) + "'";
        return "UPDATE " + table(table) + " SET " + c + " = json_remove(" + c + ", " + jsonPath + ") WHERE json_valid(" + c
                + ") AND json_type(" + c + ", " + jsonPath + ") IS NOT NULL";
    }
}
