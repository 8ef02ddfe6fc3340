package dev.mig.run.session;

import dev.mig.Output;

/** Hears how far a long statement is: rows done of a total (-1 when unknown). */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void update(String what, long done, long total) {
        }

        @Override
        public void finish() {
        }
    };

    void update(String what, long done, long total);

    void finish();

    /** Plain lines, at most one every {@code intervalMillis}, for output that is not a terminal. */
    static ProgressListener plain(Output out, long intervalMillis) {
        return new ProgressListener() {
            private long started;
            private long last;

            @Override
            public void update(String what, long done, long total) {
                long now = System.currentTimeMillis();
                if (started == 0) {
                    started = now;
                    last = now;
                }
                if (now - last < intervalMillis) {
                    return;
                }
                last = now;
                out.line("  ... " + ProgressText.describe(what, done, total, now - started));
            }

            @Override
            public void finish() {
                started = 0; // the next statement is timed from its own start
            }
        };
    }
}
