package dev.mig.mem0.emulation;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A user's mem0 over the years: emulated releases started one after another on the same history
 * file and vector store, each doing a share of random adds, updates and deletes with the values
 * that release wrote. Deterministic for a seed.
 */
public final class Life {
    private static final String[] FACTS = {
        "Likes green tea in the morning", "Is allergic to peanuts", "Works as a nurse in Lyon",
        "Prefers meetings after 10am", "Has a dog named Biscuit \uD83D\uDC36", "Training for a marathon \uD83C\uDFC3",
        "Speaks French and Japanese (\u65E5\u672C\u8A9E)", "Vegetarian since 2019", "Said: \"call me Sam\"",
        "It's the user's birthday on 3 May", "Uses vim, not emacs", "Lives at 221B Baker Street",
        "Multi-line note:\nfirst line\nsecond line", "Name contains a backslash \\ and a quote '",
        "Caf\u00e9 owner in M\u00fcnchen", "Right-to-left: \u05E9\u05DC\u05D5\u05DD", "Emoji only \uD83D\uDE80\u2728\uD83E\uDD16"};

    private final Connection history;
    private final Payloads store = new Payloads();
    private final Random random;
    private Instant now;
    private int serial;

    /** Starts in July 2024 (mem0 0.0.x). */
    public Life(Connection history, long seed) throws SQLException {
        this.history = history;
        this.random = new Random(seed);
        this.now = Instant.parse("2024-07-01T08:00:00Z");
        try (Statement s = history.createStatement()) {
            s.execute("PRAGMA synchronous = OFF"); // the generator's own speed; the data is the same
        }
    }

    public Payloads store() {
        return store;
    }

    /** The release starts (its start-up migration runs); false when it failed as that release did. */
    public boolean start(PyRelease release) throws SQLException {
        try {
            process(release).start();
            return true;
        } catch (PyMem0.Mem0Failure e) {
            return false;
        }
    }

    /** The release starts and makes {@code events} history events. */
    public Life run(PyRelease release, int events, long spanDays) throws SQLException {
        PyMem0 mem0 = process(release);
        mem0.start();
        long step = Math.max(1, spanDays * 86_400L / Math.max(1, events));
        for (int i = 0; i < events; i++) {
            tick(step);
            event(mem0);
        }
        return this;
    }

    private PyMem0 process(PyRelease release) {
        return new PyMem0(history, store, release, () -> now, () -> new UUID(random.nextLong(), random.nextLong()).toString());
    }

    /** Moves the clock on: whole seconds now and then, so fraction-less values appear as in real files. */
    private void tick(long step) {
        long seconds = 1 + (long) (random.nextDouble() * step * 2);
        int micros = random.nextInt(8) == 0 ? 0 : random.nextInt(1_000_000);
        now = Instant.ofEpochSecond(now.getEpochSecond() + seconds, micros * 1000L);
    }

    private void event(PyMem0 mem0) throws SQLException {
        List<String> changeable = new ArrayList<>();
        for (String id : store.ids()) {
            if (mem0.canChange(id)) {
                changeable.add(id);
            }
        }
        int roll = random.nextInt(100);
        if (changeable.isEmpty() || roll < 45) {
            Map<String, String> scope = new LinkedHashMap<>();
            scope.put("user_id", random.nextInt(5) == 0 ? "bob" : "alice");
            if (random.nextInt(4) == 0) {
                scope.put("agent_id", "travel-agent");
            }
            Map<String, String> metadata = random.nextInt(6) == 0 ? Map.of("category", "health") : Map.of();
            mem0.add(fact(), scope, metadata, random.nextInt(5) != 0);
        } else if (roll < 85) {
            mem0.update(changeable.get(random.nextInt(changeable.size())), fact());
        } else {
            mem0.delete(changeable.get(random.nextInt(changeable.size())));
        }
    }

    private String fact() {
        serial++;
        if (serial % 211 == 17) {
            return "A very long memory: " + "lorem ipsum dolor sit amet ".repeat(200 + random.nextInt(100));
        }
        return FACTS[random.nextInt(FACTS.length)] + (random.nextInt(3) == 0 ? " (" + serial + ")" : "");
    }

    /** Moves the clock by days: the time between two releases a user ran. */
    public Life idle(long days) {
        now = now.plusSeconds(days * 86_400L);
        return this;
    }
}
