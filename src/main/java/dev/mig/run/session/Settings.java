package dev.mig.run.session;

import dev.mig.syntax.Setting;

/** The execution settings a script sets for the statements that follow ({@code set batch|fetch|parallel|pushdown}). */
public final class Settings {
    private int batch = 5000;
    private int fetch = 1000;
    /** {@code parallel} when the script has not set it: mig picks the workers itself (see {@link #workersFor}). */
    public static final int AUTO = Setting.AUTO;
    /** Below this many rows one worker is enough: slicing costs a count and key lookups. */
    static final long AUTO_MIN_ROWS = 100_000;
    /** More slices than this gave nothing in the benchmarks: the databases become the limit. */
    static final int AUTO_MAX_WORKERS = 4;

    private int parallel = AUTO;
    private boolean pushdown = true;
    private int rows = 50;
    /** Seconds to keep reconnecting after a lost connection before the run fails (set reconnect N; 0: never). */
    private int reconnect = 120;
    private boolean expanded;

    /** Rows written per batch (and per page of a streamed map). */
    public int batch() {
        return batch;
    }

    public void batch(int batch) {
        this.batch = batch;
    }

    /** Rows fetched per round trip when reading. */
    public int fetch() {
        return fetch;
    }

    public void fetch(int fetch) {
        this.fetch = fetch;
    }

    /** Worker connections a map or checksum may use as set by the script, or {@link #AUTO}. */
    public int parallel() {
        return parallel;
    }

    /** Whether a statement may split its work over several connections (set above 1, or left to mig). */
    public boolean mayParallel() {
        return parallel != 1;
    }

    /**
     * The workers for a table of this many rows: what {@code set parallel} says, or, with nothing set, one
     * per core (at most four) from 100,000 rows on, one below. On two cores with the database on the
     * same machine two workers were faster in every benchmark case (docs/benchmarks.md).
     */
    public int workersFor(long rows) {
        if (parallel != AUTO) {
            return parallel;
        }
        return rows >= AUTO_MIN_ROWS ? Math.max(1, Math.min(AUTO_MAX_WORKERS, Runtime.getRuntime().availableProcessors())) : 1;
    }

    public void parallel(int parallel) {
        this.parallel = parallel;
    }

    /** Seconds mig keeps reconnecting a lost PostgreSQL connection before the statement fails. */
    public int reconnect() {
        return reconnect;
    }

    public void reconnect(int seconds) {
        this.reconnect = seconds;
    }

    /** Rows a query or a one-table sample shows (set rows N). */
    public int rows() {
        return rows;
    }

    public void rows(int rows) {
        this.rows = rows;
    }

    /** Rows shown one block per row, for wide rows (the REPL's :expanded on). */
    public boolean expanded() {
        return expanded;
    }

    public void expanded(boolean expanded) {
        this.expanded = expanded;
    }

    /** Whether a map inside one database may run as set-based SQL (set pushdown on|off). */
    public boolean pushdown() {
        return pushdown;
    }

    public void pushdown(boolean pushdown) {
        this.pushdown = pushdown;
    }
}
