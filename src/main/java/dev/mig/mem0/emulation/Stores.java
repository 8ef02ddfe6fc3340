package dev.mig.mem0.emulation;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The Python history files real users have, each made by the emulated releases the way mem0 made
 * it over its life (MEM0.md section 1). {@code events} is about the number of history rows.
 */
public final class Stores {
    private Stores() {
    }

    /** mem0 0.0.2 - 0.0.9 only: a G0 table. */
    public static Life g0(Connection c, int events, long seed) throws SQLException {
        return new Life(c, seed).run(PyRelease.V0_0_9, events, 40);
    }

    /**
     * G0 years, then 0.0.11 (its fixed start-up copies G0 into G1), then 0.1.30 - 0.1.99: a G1 table
     * with lowercase G0 events and naive text inside, Pacific text, INTEGER epochs and NULLs.
     */
    public static Life g1(Connection c, int events, long seed) throws SQLException {
        Life life = new Life(c, seed).run(PyRelease.V0_0_9, events * 4 / 10, 40);
        return life.idle(3).run(PyRelease.V0_0_11, events * 3 / 10, 60).run(PyRelease.V0_1_30, events - events * 7 / 10, 200);
    }

    /**
     * mem0 0.0.10's restart bug: G0 years, 0.0.10 started (G1 made), started again (history renamed
     * to old_history, copy failed), then 0.0.11 on, writing into the new, empty history.
     */
    public static Life g1WithOldHistory(Connection c, int events, long seed) throws SQLException {
        Life life = new Life(c, seed).run(PyRelease.V0_0_9, events * 3 / 10, 30);
        life.run(PyRelease.V0_0_10, events / 10, 1);
        if (life.start(PyRelease.V0_0_10)) {
            throw new IllegalStateException("0.0.10's second start should have failed");
        }
        return life.run(PyRelease.V0_0_11, events - events * 4 / 10, 200);
    }

    /**
     * The common real file of 2026: G0 and G1 years, then current mem0's rebuild to G2 (dropping
     * new_value), then 1.0.7 - 2.0.x writes: every spelling, epochs, NULLs and lowercase events in one G2 table.
     */
    public static Life g2(Connection c, int events, long seed) throws SQLException {
        Life life = g1(c, events / 2, seed);
        int rest = events - events / 2;
        return life.run(PyRelease.V0_1_110, rest / 5, 60).run(PyRelease.V1_0_7, rest / 5, 30).run(PyRelease.V1_0_8, rest / 5, 30)
                .run(PyRelease.V1_0_9, rest / 5, 30).run(PyRelease.V2_0_10, rest - rest / 5 * 4, 90);
    }

    /**
     * mem0 0.1.100 - 0.1.106: G1 life, the start that renamed history to history_old and hung (killed),
     * the next start making an empty G2 history, then current releases writing into it.
     */
    public static Life g2WithHistoryOld(Connection c, int events, long seed) throws SQLException {
        Life life = g1(c, events * 6 / 10, seed);
        if (life.start(PyRelease.V0_1_104)) {
            throw new IllegalStateException("0.1.104's start should have hung");
        }
        return life.run(PyRelease.V0_1_104, events / 10, 5).run(PyRelease.V1_0_9, events - events * 7 / 10, 120);
    }
}
