package dev.mig.mem0;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Generates realistic legacy mem0 data, deterministic for a seed and sized by a row count: the
 * history generations G0 and G1 (SQLite) and collection payloads of every era (MEM0.md), with
 * the awkward rows real stores have: emoji, very long and multi-line memories, quotes, nulls,
 * stale hashes, missing updated_at, epoch and US/Pacific timestamps, a mem0migrations row.
 */
public final class LegacyData {
    private static final String[] FACTS = {
        "Likes green tea in the morning", "Is allergic to peanuts", "Works as a nurse in Lyon",
        "Prefers meetings after 10am", "Has a dog named Biscuit \uD83D\uDC36", "Training for a marathon \uD83C\uDFC3",
        "Speaks French and Japanese (\u65E5\u672C\u8A9E)", "Vegetarian since 2019", "Said: \"call me Sam\"",
        "It's the user's birthday on 3 May", "Uses vim, not emacs", "Lives at 221B Baker Street",
        "Reads sci-fi; favourite: Dune", "Multi-line note:\nfirst line\nsecond line", "Tab\tseparated\tvalues",
        "Emoji only \uD83D\uDE80\u2728\uD83E\uDD16", "Name contains a backslash \\ and a quote '",
        "Caf\u00e9 owner in M\u00fcnchen", "Prefers dark mode", "Has two kids, Ana and Jo",
        "CafÃ© Ã¼ber mojibake from a latin-1 import", "Replacement char \uFFFD and zero-width\u200Bspace",
        "Right-to-left: \u05E9\u05DC\u05D5\u05DD", "Control char \u0007 bell"};
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
    private static final long START = Instant.parse("2024-03-01T00:00:00Z").getEpochSecond();

    private LegacyData() {
    }

    static String memory(Random random, int i) {
        if (i % 997 == 13) {
            return "A very long memory: " + "lorem ipsum dolor sit amet ".repeat(400 + random.nextInt(200));
        }
        return FACTS[random.nextInt(FACTS.length)] + (random.nextInt(4) == 0 ? " (" + i + ")" : "");
    }

    static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    static Instant time(Random random, int i, int rows) {
        long span = 700L * 24 * 3600;
        return Instant.ofEpochSecond(START + span * i / Math.max(1, rows) + random.nextInt(3600), random.nextInt(1_000_000) * 1000L);
    }

    /** mem0 up to 0.0.9: history(id, memory_id, prev_value, new_value, event, timestamp, is_deleted). */
    public static void historyG0(Connection c, int rows, long seed) throws SQLException {
        Random random = new Random(seed);
        Chain chain = new Chain(random);
        insertRows(c, "CREATE TABLE IF NOT EXISTS history (id TEXT PRIMARY KEY, memory_id TEXT, prev_value TEXT, "
                + "new_value TEXT, event TEXT, timestamp DATETIME, is_deleted INTEGER)",
                "INSERT INTO history (id, memory_id, prev_value, new_value, event, timestamp, is_deleted) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows, (ps, i) -> {
                    Chain.Event e = chain.next(i);
                    ps.setString(1, uuid(random));
                    ps.setString(2, e.memoryId);
                    ps.setString(3, e.previous);
                    ps.setString(4, e.value);
                    ps.setString(5, e.event);
                    ps.setString(6, LocalDateTime.ofInstant(time(random, i, rows), ZoneOffset.UTC).format(NAIVE));
                    ps.setInt(7, e.event.equals("delete") ? 1 : 0);
                });
    }

    /** mem0 0.0.10 to 0.1.99: old_memory/new_memory, the extra new_value, created_at/updated_at. */
    public static void historyG1(Connection c, int rows, long seed) throws SQLException {
        Random random = new Random(seed);
        Chain chain = new Chain(random);
        insertRows(c, "CREATE TABLE IF NOT EXISTS history (id TEXT PRIMARY KEY, memory_id TEXT, old_memory TEXT, "
                + "new_memory TEXT, new_value TEXT, event TEXT, created_at DATETIME, updated_at DATETIME, is_deleted INTEGER)",
                "INSERT INTO history (id, memory_id, old_memory, new_memory, new_value, event, created_at, updated_at, "
                + "is_deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows, (ps, i) -> {
                    Chain.Event e = chain.next(i);
                    Instant at = time(random, i, rows);
                    ps.setString(1, uuid(random));
                    ps.setString(2, e.memoryId);
                    ps.setString(3, e.previous);
                    ps.setString(4, e.value);
                    ps.setString(5, e.value);
                    ps.setString(6, e.event.toUpperCase());
                    ps.setString(7, at.atZone(PACIFIC).toOffsetDateTime().toString());
                    ps.setString(8, i % 5 == 0 ? null : at.plusSeconds(random.nextInt(60)).atZone(PACIFIC).toOffsetDateTime().toString());
                    ps.setInt(9, e.event.equals("delete") ? 1 : 0);
                });
    }

    /**
     * A mem0 collection with payloads of every era: epoch seconds without hash (0.0.x), US/Pacific
     * ISO with md5 hash (some stale, some missing updated_at), UTC ISO (2026), and 2.0 rows with
     * text_lemmatized; plus one mem0migrations-style identity row. {@code vectorType} is the
     * column type to use for vectors ("real[]" where pgvector is not installed).
     */
    public static void collection(Connection c, String table, int rows, long seed, String vectorType, boolean postgres)
            throws SQLException {
        Random random = new Random(seed);
        String placeholders = postgres ? "(CAST(? AS uuid), CAST(? AS " + vectorType + "), CAST(? AS jsonb))" : "(?, ?, ?)";
        insertRows(c, "CREATE TABLE IF NOT EXISTS " + table + " (id " + (postgres ? "UUID" : "TEXT") + " PRIMARY KEY, vector "
                + vectorType + ", payload " + (postgres ? "JSONB" : "TEXT") + ")",
                "INSERT INTO " + table + " (id, vector, payload) VALUES " + placeholders, rows, (ps, i) -> {
                    ps.setString(1, uuid(random));
                    ps.setString(2, vector(random, postgres));
                    ps.setString(3, payload(random, i, rows));
                });
    }

    /** Binds the values of generated row i. */
    private interface RowBinder {
        void bind(PreparedStatement ps, int i) throws SQLException;
    }

    /** Creates the table and inserts {@code rows} generated rows in batches of 1000, in one transaction. */
    private static void insertRows(Connection c, String ddl, String insert, int rows, RowBinder binder) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (int i = 0; i < rows; i++) {
                binder.bind(ps, i);
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(auto);
    }

    /** mem0's internal mem0migrations collection: one identity row per user, to be left untouched. */
    public static void mem0migrations(Connection c, String vectorType, boolean postgres) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mem0migrations (id " + (postgres ? "UUID" : "TEXT") + " PRIMARY KEY, vector "
                    + vectorType + ", payload " + (postgres ? "JSONB" : "TEXT") + ")");
        }
        Random random = new Random(7);
        String placeholders = postgres ? "(CAST(? AS uuid), CAST(? AS " + vectorType + "), CAST(? AS jsonb))" : "(?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mem0migrations (id, vector, payload) VALUES " + placeholders)) {
            for (String user : new String[] {"alice", "bob"}) {
                ps.setString(1, uuid(random));
                ps.setString(2, vector(random, postgres));
                ps.setString(3, "{\"user_id\": \"" + user + "\", \"type\": \"user_identity\"}");
                ps.executeUpdate();
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static String vector(Random random, boolean postgres) {
        StringBuilder out = new StringBuilder(postgres ? "{" : "[");
        for (int d = 0; d < 4; d++) {
            out.append(d > 0 ? "," : "").append(String.format("%.4f", random.nextDouble() * 2 - 1));
        }
        return out.append(postgres ? "}" : "]").toString();
    }

    static String payload(Random random, int i, int rows) {
        String data = memory(random, i);
        Instant at = time(random, i, rows);
        StringBuilder p = new StringBuilder("{");
        p.append("\"data\": ").append(json(data));
        p.append(", \"user_id\": ").append(json(random.nextInt(10) == 0 ? "bob" : "alice"));
        if (random.nextInt(3) == 0) {
            p.append(", \"agent_id\": \"travel-agent\", \"run_id\": ").append(json("run-" + random.nextInt(50)));
        }
        if (random.nextInt(7) == 0) {
            p.append(", \"category\": \"health\", \"expiration_date\": null");
        }
        int era = i % 4;
        switch (era) {
            case 0 -> { // 0.0.x: epoch seconds, no hash
                p.append(", \"created_at\": ").append(at.getEpochSecond());
                if (random.nextBoolean()) {
                    p.append(", \"updated_at\": ").append(at.getEpochSecond() + random.nextInt(1000));
                }
            }
            case 1 -> { // 0.0.10 .. 1.0.6: Pacific ISO, md5 hash, sometimes stale, sometimes no updated_at
                String hash = random.nextInt(5) == 0 ? md5(data + " (before update)") : md5(data);
                p.append(", \"hash\": ").append(json(hash));
                p.append(", \"created_at\": ").append(json(at.atZone(PACIFIC).toOffsetDateTime().toString()));
                if (random.nextInt(3) != 0) {
                    p.append(", \"updated_at\": ").append(json(at.plusSeconds(30).atZone(PACIFIC).toOffsetDateTime().toString()));
                } else if (random.nextBoolean()) {
                    p.append(", \"updated_at\": null");
                }
            }
            case 2 -> { // 2026-03 on: UTC ISO
                p.append(", \"hash\": ").append(json(md5(data)));
                p.append(", \"created_at\": ").append(json(at.toString()));
                p.append(", \"updated_at\": ").append(json(at.plusSeconds(5).toString()));
            }
            default -> { // 2.0 on: UTC ISO and text_lemmatized
                p.append(", \"hash\": ").append(json(md5(data)));
                p.append(", \"created_at\": ").append(json(at.toString()));
                p.append(", \"updated_at\": ").append(json(at.toString()));
                p.append(", \"text_lemmatized\": ").append(json(data.toLowerCase()));
            }
        }
        return p.append('}').toString();
    }

    static String md5(String text) {
        return DigestUtils.md5Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Memories with add, update and delete events in a plausible order. */
    private static final class Chain {
        record Event(String memoryId, String previous, String value, String event) {
        }

        private final Random random;
        private final List<String[]> live = new ArrayList<>();

        Chain(Random random) {
            this.random = random;
        }

        Event next(int i) {
            int roll = random.nextInt(10);
            if (live.isEmpty() || roll < 5) {
                String id = uuid(random);
                String value = memory(random, i);
                live.add(new String[] {id, value});
                return new Event(id, null, value, "add");
            }
            int pick = random.nextInt(live.size());
            String[] memory = live.get(pick);
            if (roll < 9) {
                String value = memory(random, i);
                String previous = memory[1];
                memory[1] = value;
                return new Event(memory[0], previous, value, "update");
            }
            live.remove(pick);
            return new Event(memory[0], memory[1], null, "delete");
        }
    }
}
