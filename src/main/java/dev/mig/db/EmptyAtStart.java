package dev.mig.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether a map's target held no rows before the map wrote any: asked once, by the first of its writers
 * to write, and then the answer of every writer of that map. Key-slice workers write side by side on
 * connections of their own; a worker that asked for itself after another had committed its first batch
 * saw rows and merged every batch through a staging table instead of copying straight in (3 of 7 runs
 * of bench case A took 8 s instead of 5 s so).
 */
public final class EmptyAtStart {
    private Boolean empty;

    /** The answer, asked on {@code c} the first time (before that caller's first write). */
    public synchronized boolean test(Connection c, String quotedTable) throws SQLException {
        if (empty == null) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + quotedTable + ")")) {
                rs.next();
                empty = rs.getBoolean(1);
            }
        }
        return empty;
    }
}
