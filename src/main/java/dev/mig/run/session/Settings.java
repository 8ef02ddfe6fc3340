package dev.mig.run.session;

/** The execution settings a script sets for the statements that follow ({@code set batch|fetch|parallel|pushdown}). */
public final class Settings {
    private int batch = 5000;
    private int fetch = 1000;
    private int parallel = 1;
    private boolean pushdown = true;
    private int rows = 50;
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

    /** Worker connections a map or checksum may use. */
    public int parallel() {
        return parallel;
    }

    public void parallel(int parallel) {
        this.parallel = parallel;
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
