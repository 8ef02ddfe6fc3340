package dev.mig.db.internal;

import dev.mig.data.Row;
import dev.mig.db.TableReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A cursor over one open query: its rows as the reader reads them; closing it closes the query. */
public final class QueryCursor implements TableReader.Cursor {
    private final TableReader reader;
    private final PreparedStatement ps;
    private final ResultSet rs;

    public QueryCursor(TableReader reader, PreparedStatement ps, ResultSet rs) {
        this.reader = reader;
        this.ps = ps;
        this.rs = rs;
    }

    @Override
    public Row next() throws SQLException {
        return rs.next() ? reader.row(rs) : null;
    }

    @Override
    public void close() throws SQLException {
        try {
            rs.close();
        } finally {
            ps.close();
        }
    }
}
