package dev.mig.run.map;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Key-slice workers: each task on its own thread; the first failure cancels the others and is rethrown as it was. */
public final class Workers {
    public interface Task {
        void run() throws SQLException;
    }

    private Workers() {
    }

    public static void runAll(String name, List<Task> tasks) throws SQLException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tasks.size()), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    task.run();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    if (e.getCause() instanceof SQLException s) {
                        throw s;
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new SQLException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
