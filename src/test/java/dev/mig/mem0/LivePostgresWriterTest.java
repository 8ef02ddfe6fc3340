package dev.mig.mem0;

import static dev.mig.mem0.PackRun.count;
import static dev.mig.mem0.PackRun.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.mem0.emulation.Life;
import dev.mig.mem0.emulation.PyTime;
import dev.mig.mem0.emulation.Stores;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 006 (collection payloads, in place on PostgreSQL) while a current mem0 keeps adding and updating
 * memories through its own SQL (plain JDBC on another connection, ~150 writes/s): every memory it
 * committed is in the table afterwards with the text it last wrote.
 */
class LivePostgresWriterTest {
    @TempDir
    Path dir;

    @Test
    void collectionPayloadsInPlaceWhileMem0Writes() throws Exception {
        Life life;
        try (Connection h = sqlite(dir.resolve("h.db"))) {
            life = Stores.g2(h, 3000, 41);
        }
        String url = Pg.newDatabase();
        List<String> existing = new ArrayList<>();
        try (Connection c = Pg.connect(url)) {
            life.store().writeCollection(c, "mem0", true, "real[]", 1);
            try (PreparedStatement ps = c.prepareStatement("SELECT id::text FROM mem0 ORDER BY id LIMIT 200");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
        }
        Map<String, String> lastText = new ConcurrentHashMap<>();
        List<String> failures = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        long[] slowest = {0};
        Thread mem0 = new Thread(() -> {
            try (Connection c = Pg.connect(url)) {
                c.setAutoCommit(true); // mem0's pgvector store commits each statement
                int n = 0;
                while (!stop.get()) {
                    n++;
                    String now = PyTime.utc(Instant.now()); // mem0 1.0.7+: datetime.now(timezone.utc).isoformat()
                    String id = n % 3 == 0 ? existing.get(n % existing.size()) : UUID.randomUUID().toString();
                    String text = "live memory " + n;
                    String payload = "{\"data\": \"" + text + "\", \"hash\": \"" + DigestUtils.md5Hex(text.getBytes(StandardCharsets.UTF_8))
                            + "\", \"created_at\": \"" + now + "\", \"updated_at\": \"" + now + "\", \"user_id\": \"alice\"}";
                    long started = System.nanoTime();
                    try (PreparedStatement ps = c.prepareStatement(n % 3 == 0
                            ? "UPDATE mem0 SET payload = CAST(? AS jsonb) WHERE id = CAST(? AS uuid)"
                            : "INSERT INTO mem0 (id, vector, payload) VALUES (CAST(? AS uuid), '{0.1,0.2,0.3,0.4}', CAST(? AS jsonb))")) {
                        if (n % 3 == 0) {
                            ps.setString(1, payload);
                            ps.setString(2, id);
                        } else {
                            ps.setString(1, id);
                            ps.setString(2, payload);
                        }
                        ps.executeUpdate();
                        lastText.put(id, text);
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(id + ": " + e.getMessage());
                        }
                    }
                    slowest[0] = Math.max(slowest[0], (System.nanoTime() - started) / 1_000_000);
                    Thread.sleep(6);
                }
            } catch (Exception e) {
                synchronized (failures) {
                    failures.add("writer: " + e);
                }
            }
        });
        mem0.start();
        PackRun.Result result;
        try {
            Thread.sleep(300);
            result = PackRun.run(dir, "006_collection_payloads.mig", Map.of("MEM0_COLLECTION_URL", url));
            Thread.sleep(500);
        } finally {
            stop.set(true);
            mem0.join();
        }
        System.out.printf("live PostgreSQL writer: %d memories written, %d failed, slowest %d ms%n", lastText.size(),
                failures.size(), slowest[0]);
        assertEquals(ScriptRunner.Outcome.APPLIED, result.outcome(), result.output());
        assertEquals(List.of(), failures);
        assertTrue(lastText.size() > 50, "mem0 wrote during the run: " + lastText.size());
        long lost = 0;
        try (Connection c = Pg.connect(url); PreparedStatement ps = c.prepareStatement(
                "SELECT payload->>'data' FROM mem0 WHERE id = CAST(? AS uuid)")) {
            for (Map.Entry<String, String> w : lastText.entrySet()) {
                ps.setString(1, w.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !w.getValue().equals(rs.getString(1))) {
                        lost++;
                    }
                }
            }
            assertEquals(0, count(c, "SELECT count(*) FROM mem0 WHERE payload ? 'data' "
                    + "AND payload->>'hash' IS DISTINCT FROM md5(payload->>'data')"), "every hash right");
        }
        assertEquals(0, lost, "memories mem0 wrote that are not in the table with their last text");
    }
}
