package dev.mig.state;

import dev.mig.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One of mig's own tables on a state connection: its CREATE, INSERT and SELECT written once from its
 * column list. Transactions stay with the callers (some commit before their first write, for SQLite beside a
 * writer; some write in the caller's transaction, as a replay's marks with its rows).
 */
final class StateTable {
    /** Reads one row of a result. */
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    final String name;
    private final String definition;
    private final List<String> columns = new ArrayList<>();
    private final String insert;

    /** {@code definition}: the column list of CREATE TABLE, as {@code "version TEXT PRIMARY KEY, rows BIGINT, PRIMARY KEY (a, b)"}. */
    StateTable(String name, String definition) {
        this.name = name;
        this.definition = definition;
        for (String part : definition.split(",(?![^(]*\\))")) {
            String column = part.trim().split("\\s+")[0];
            if (!column.equalsIgnoreCase("PRIMARY")) {
                columns.add(column);
            }
        }
        this.insert = "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    }

    boolean exists(Database db) {
        return db.describe(name) != null;
    }

    /** CREATE TABLE IF NOT EXISTS, in the caller's transaction. */
    void create(Database db) throws SQLException {
        try (Statement s = db.connection().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + name + " (" + definition + ")");
        }
    }

    /** One row, a value for every column in their order (String, Long, Integer, Boolean as 0/1, or null). */
    void insert(Database db, Object... values) throws SQLException {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(name + " has " + columns.size() + " columns, not " + values.length);
        }
        try (PreparedStatement ps = db.connection().prepareStatement(insert)) {
            bind(ps, values);
            ps.executeUpdate();
        }
    }

    /** Many rows in one batch, each as {@link #insert} takes it. */
    void insertAll(Database db, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(insert)) {
            for (Object[] values : rows) {
                bind(ps, values);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Rows of {@code SELECT <what> FROM <name> <rest>} with the parameters; none when the table does not exist. */
    <T> List<T> select(Database db, String what, String rest, Row<T> row, Object... parameters) throws SQLException {
        List<T> out = new ArrayList<>();
        if (!exists(db)) {
            return out;
        }
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT " + what + " FROM " + name + (rest.isEmpty() ? "" : " " + rest))) {
            bind(ps, parameters);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        }
        return out;
    }

    /** {@code DELETE FROM <name> <where>} with the parameters; rows deleted. */
    int delete(Database db, String where, Object... parameters) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement("DELETE FROM " + name + " " + where)) {
            bind(ps, parameters);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (v instanceof Boolean b) {
                ps.setInt(i + 1, b ? 1 : 0);
            } else {
                ps.setString(i + 1, v.toString());
            }
        }
    }
}
