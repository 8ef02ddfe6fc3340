package dev.mig.db.internal;

import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.data.LogicalType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * mem0's FAISS store as {@code FaissStore} presents it: SQLite, whose tables are the temporary views of the
 * collections, keyed by their memory id (a view has no key of its own, nor a rowid to read it by).
 */
public final class FaissDialect extends Sqlite {
    @Override
    public List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM sqlite_temp_master WHERE type = 'view' ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public TableInfo describe(Connection c, String table) throws SQLException {
        TableInfo view = super.describe(c, table);
        if (view == null || view.column("id") == null) {
            return view;
        }
        List<Column> columns = new ArrayList<>();
        for (Column col : view.columns()) {
            columns.add(col.name().equals("id") ? new Column("id", "TEXT", LogicalType.of("TEXT"), 1, true) : col);
        }
        return new TableInfo(table, columns, List.of(List.of("id")));
    }

    @Override
    public String storageOrderColumn(Database db, TableInfo table) {
        return null;
    }
}
