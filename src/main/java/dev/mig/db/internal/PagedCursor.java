package dev.mig.db.internal;

import dev.mig.data.Row;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A cursor in key order on a connection of its own, a page of rows at a time, each page its own short read
 * transaction: where a long read would hold other connections' commits off (SQLite's rollback journal).
 */
public final class PagedCursor implements TableReader.Cursor {
    private final Database own;
    private final TableReader reader;
    private final int pageSize;
    private final ArrayDeque<Row> page = new ArrayDeque<>();
    private List<Object> after;
    private boolean done;

    /** Reads {@code table} through {@code own}, which the cursor closes. */
    public PagedCursor(Database own, TableInfo table, int pageSize) {
        this.own = own;
        this.reader = new TableReader(own, table);
        this.pageSize = pageSize;
    }

    @Override
    public Row next() throws SQLException {
        if (page.isEmpty() && !done) {
            List<Row> rows = new ArrayList<>();
            try {
                reader.pages(pageSize, after, null, null, rows::add, lastKey -> {
                    throw new StopPage(lastKey);
                });
                done = true;
            } catch (StopPage stop) {
                after = stop.lastKey;
                done = rows.size() < pageSize;
            }
            own.commit(); // the page's read transaction ends: writers get their turn
            page.addAll(rows);
        }
        return page.poll();
    }

    @Override
    public void close() {
        own.close();
    }

    /** Ends {@link TableReader#pages} after one page (the cursor pulls the next one when it needs it). */
    private static final class StopPage extends RuntimeException {
        final List<Object> lastKey;

        StopPage(List<Object> lastKey) {
            super(null, null, false, false);
            this.lastKey = lastKey;
        }
    }
}
