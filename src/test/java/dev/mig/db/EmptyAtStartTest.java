package dev.mig.db;

import dev.mig.db.internal.PgCopyWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mig.run.Pg;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two writers of one map into an empty table, each on its own connection as key-slice workers are: the
 * second writes its first batch after the first has committed, and still copies straight in (binary COPY
 * into the target), because the target was empty when the map began. Each writer deciding for itself
 * sent the second one's batches through the staging table and ON CONFLICT.
 */
class EmptyAtStartTest {
    @Test
    void aWorkerThatStartsLateStillCopiesStraightIn() throws Exception {
        String url = Pg.newDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id text PRIMARY KEY, note text)");
        }
        EmptyAtStart shared = new EmptyAtStart();
        List<String> rejects = new ArrayList<>();
        long before = PgCopyWriter.BINARY_BATCHES.get();
        for (int worker = 0; worker < 2; worker++) {
            Database db = Database.open("p" + worker, url, false, false);
            try {
                RowWriter rows = new RowWriter(db, db.describe("t"), List.of("id", "note"), List.of("id"), RowWriter.Mode.UPSERT,
                        (row, reason) -> rejects.add(reason));
                BatchWriter writer = BatchWriter.forTarget(rows, shared);
                for (int i = 0; i < 100; i++) {
                    writer.add(Map.of("id", worker + "-" + i, "note", "n" + i));
                }
                assertEquals(100, writer.flush());
                db.commit(); // the first worker's rows are in before the second one writes
            } finally {
                db.close();
            }
        }
        assertEquals(List.of(), rejects);
        assertEquals(2, PgCopyWriter.BINARY_BATCHES.get() - before, "both writers copied straight into the target");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM t")) {
            rs.next();
            assertEquals(200, rs.getInt(1));
            assertEquals(200, rs.getInt(2));
        }
    }
}
