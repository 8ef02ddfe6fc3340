package dev.mig.bench;

import dev.mig.db.Database;
import dev.mig.state.Snapshots;
import dev.mig.watch.Watcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What one mig watch check costs on a 1,000,000-row history (bench/watch): a G2 history as current mem0
 * writes it, the snapshot a run leaves, then checks timed: the first (reads the snapshot, counts, scans
 * the rows after the snapshot's position: none), and later ones after 100 new rows each (reads those).
 */
public final class WatchBench {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path file = Path.of("target/bench/watch-" + rows + ".db").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        String url = "jdbc:sqlite:" + file;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous = OFF");
            s.execute("CREATE TABLE history (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, new_memory TEXT, event TEXT, "
                    + "created_at DATETIME, updated_at DATETIME, is_deleted INTEGER, actor_id TEXT, role TEXT)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO history VALUES (?, ?, NULL, ?, 'ADD', ?, ?, 0, NULL, NULL)")) {
                for (int i = 0; i < rows; i++) {
                    String at = Instant.ofEpochSecond(1_750_000_000L + i).toString().replace("Z", "+00:00");
                    ps.setString(1, UUID.nameUUIDFromBytes(("e" + i).getBytes()).toString());
                    ps.setString(2, "m" + i % 50_000);
                    ps.setString(3, "memory number " + i);
                    ps.setString(4, at);
                    ps.setString(5, at);
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        Database db = Database.open("bench", url, false, false);
        Snapshots.record(db, "1", "bench");
        db.close();
        Watcher watcher = new Watcher();
        List<String> results = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            if (round > 0) {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < 100; i++) {
                        s.execute("INSERT INTO history VALUES ('new-" + round + "-" + i + "', 'm', NULL, 'x', 'add', "
                                + "'2026-12-03 10:00:00', NULL, 0, NULL, NULL)");
                    }
                    c.commit();
                }
            }
            long start = System.nanoTime();
            Watcher.StoreCheck check = watcher.check(url);
            long ms = (System.nanoTime() - start) / 1_000_000;
            results.add(ms + " ms (" + check.scanned() + " rows read, " + check.findings().size() + " findings)");
        }
        System.out.println("mig watch on a " + String.format("%,d", rows) + "-row history: check 1 " + results.get(0)
                + "; checks 2-6 after 100 new rows each: " + String.join(", ", results.subList(1, results.size())));
    }
}
