package dev.mig;

import java.io.PrintWriter;

/** Where a run reports to: the CLI's standard output, the REPL, a test. */
public interface Output {
    void line(String text);

    static Output of(PrintWriter writer) {
        return text -> {
            writer.println(text);
            writer.flush();
        };
    }
}
