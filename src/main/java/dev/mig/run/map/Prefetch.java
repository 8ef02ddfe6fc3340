package dev.mig.run.map;

import dev.mig.data.Row;
import dev.mig.db.Database;
import dev.mig.db.TableReader;
import dev.mig.run.session.Handoff;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a map's source on its own thread, one page ahead of the writer, through a queue of two
 * pages (so memory stays bounded): the source database reads while the target writes. The reading
 * thread is the only user of the source connection until the map ends.
 */
final class Prefetch {
    private record Page(List<Row> rows, List<Object> lastKey) {
    }

    private Prefetch() {
    }

    static void pages(TableReader reader, Database from, List<String> key, int batch, List<Object> after,
                      TableReader.RowHandler handler, TableReader.PageEnd end) throws SQLException {
        try (Handoff<Page> pages = new Handoff<>("mig-reader", 2, sink -> {
            List<List<Row>> current = new ArrayList<>(List.of(new ArrayList<>()));
            reader.pages(key, batch, after, null, null, row -> current.get(0).add(row), lastKey -> {
                from.commit(); // ends the read transaction: applications can keep writing to the source
                try {
                    sink.put(new Page(current.get(0), lastKey));
                } catch (InterruptedException e) {
                    throw new IllegalStateException("the map stopped", e);
                }
                current.set(0, new ArrayList<>());
            });
        })) {
            for (Page page = pages.take(); page != null; page = pages.take()) {
                for (Row row : page.rows()) {
                    handler.row(row);
                }
                end.done(page.lastKey());
            }
        } // the source connection is free once the reader's thread has ended
    }
}
