package dev.mig.mem0.emulation;

/**
 * The Python mem0 releases whose storage code wrote something different (shared/MEM0.md sections 1
 * and 3), in release order. Each stands for its range up to the next one.
 */
public enum PyRelease {
    /** 0.0.2 - 0.0.9: history G0, lowercase events, naive utcnow() text; payload epoch seconds. */
    V0_0_9("0.0.9"),
    /** 0.0.10: G0 -> G1 on every start (the restart bug); Pacific timestamps; updates drop hash and ids. */
    V0_0_10("0.0.10"),
    /** 0.0.11 - 0.1.29: the migration compares columns; updates keep the old (stale) hash. */
    V0_0_11("0.0.11"),
    /** 0.1.30 - 0.1.33: updates recompute the hash. */
    V0_1_30("0.1.30"),
    /**
     * 0.1.34 - 0.1.99: the start-up compares history's whole schema (names and types) with G1's and, when
     * it differs, renames the table to old_history and copies G0 columns (mem0 v0.1.34 and v0.1.98
     * storage.py); on a G2 table the copy fails and every row is left orphaned (MEM0.md section 5).
     */
    V0_1_34("0.1.34"),
    /** 0.1.100 - 0.1.106: G1 -> G2 renames history to history_old and hangs (a lock taken twice). */
    V0_1_104("0.1.104"),
    /** 0.1.107 - 1.0.6: G2 by the column-set rebuild; actor_id/role for infer=False. */
    V0_1_110("0.1.110"),
    /** 1.0.7: UTC timestamps; an update converts an offset created_at to UTC. */
    V1_0_7("1.0.7"),
    /** 1.0.8: DELETE rows get created_at (payload's, in UTC) and updated_at. */
    V1_0_8("1.0.8"),
    /** 1.0.9 - 1.0.x: ADD writes updated_at = created_at. */
    V1_0_9("1.0.9"),
    /** 2.0.0 - 2.0.9: batch history on infer=True ADD (updated_at NULL); UPDATE writes the raw payload created_at. */
    V2_0_0("2.0.0"),
    /** 2.0.10 - now: expiration_date; metadata-only updates. */
    V2_0_10("2.0.10");

    private final String version;

    PyRelease(String version) {
        this.version = version;
    }

    public String version() {
        return version;
    }

    public boolean atLeast(PyRelease other) {
        return ordinal() >= other.ordinal();
    }

    /** The history generation this release's storage code creates and writes. */
    public int generation() {
        return atLeast(V0_1_104) ? 2 : atLeast(V0_0_10) ? 1 : 0;
    }
}
