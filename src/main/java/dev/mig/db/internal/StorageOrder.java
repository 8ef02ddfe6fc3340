package dev.mig.db.internal;

import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.data.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;

/**
 * A SQLite table read in pages by its rowid (the order it is stored in), each page its own short read
 * transaction on a connection of its own where a long read would hold writers off (rollback journal).
 */
public final class StorageOrder implements TableReader.Cursor {
    private final Database on;
    private final boolean own;
    private final TableReader rows;
    private final String sql;
    private final int pageSize;
    private final ArrayDeque<Row> page = new ArrayDeque<>();
    private long after = Long.MIN_VALUE;
    private boolean done;

    public StorageOrder(Database db, TableInfo table, TableReader reader, String position, String selectList, int pageSize) {
        this.own = !db.dryRun() && db.dialect().readersBlockWriters(db);
        this.on = own ? db.anotherReader() : db;
        this.rows = own ? new TableReader(on, table) : reader;
        this.sql = "SELECT " + selectList + ", " + position + " AS \"mig$position\" FROM " + db.dialect().table(table.name()) + " WHERE "
                + position + " > ? ORDER BY " + position + " LIMIT " + pageSize;
        this.pageSize = pageSize;
    }

    @Override
    public Row next() throws SQLException {
        if (page.isEmpty() && !done) {
            try (PreparedStatement ps = on.connection().prepareStatement(sql)) {
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(rows.row(rs));
                        after = rs.getLong("mig$position"); // by name: the select list may end in more than the columns
                    }
                }
            }
            done = page.size() < pageSize;
            if (own) {
                on.commit(); // the page's read transaction ends: writers get their turn
            }
        }
        return page.poll();
    }

    @Override
    public void close() {
        if (own) {
            on.close();
        }
    }
}
