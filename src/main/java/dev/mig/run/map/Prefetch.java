package dev.mig.run.map;

import dev.mig.data.Row;
import dev.mig.db.Database;
import dev.mig.db.TableReader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a map's source on its own thread, one page ahead of the writer, through a queue of two
 * pages (so memory stays bounded): the source database reads while the target writes. The reading
 * thread is the only user of the source connection until the map ends.
 */
final class Prefetch {
    private static final Object END = new Object();

    private record Page(List<Row> rows, List<Object> lastKey) {
    }

    private Prefetch() {
    }

    static void pages(TableReader reader, Database from, List<String> key, int batch, List<Object> after,
                      TableReader.RowHandler handler, TableReader.PageEnd end) throws SQLException {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        Thread thread = new Thread(() -> {
            try {
                List<List<Row>> current = new ArrayList<>(List.of(new ArrayList<>()));
                reader.pages(key, batch, after, null, null, row -> current.get(0).add(row), lastKey -> {
                    from.commit(); // ends the read transaction: applications can keep writing to the source
                    put(queue, new Page(current.get(0), lastKey));
                    current.set(0, new ArrayList<>());
                });
                put(queue, END);
            } catch (Throwable e) {
                offer(queue, e);
            }
        }, "mig-reader");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                Object item = take(queue);
                if (item == END) {
                    return;
                }
                if (item instanceof SQLException e) {
                    throw e;
                }
                if (item instanceof RuntimeException e) {
                    throw e;
                }
                if (item instanceof Throwable e) {
                    throw new IllegalStateException(e);
                }
                Page page = (Page) item;
                for (Row row : page.rows()) {
                    handler.row(row);
                }
                end.done(page.lastKey());
            }
        } finally {
            thread.interrupt();
            try {
                thread.join(30_000); // the source connection must be free before anyone else uses it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void put(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the map stopped");
        }
    }

    private static void offer(BlockingQueue<Object> queue, Object item) {
        try {
            queue.offer(item, 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Object take(BlockingQueue<Object> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
