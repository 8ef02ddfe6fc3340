package dev.mig.run;

import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;

/** The one line printed for each statement run. */
final class Summary {
    private Summary() {
    }

    static String line(Stmt stmt, StepResult result, long millis) {
        StringBuilder out = new StringBuilder("line ").append(stmt.span().line()).append(": ").append(stmt.headline());
        if (result.message() != null && !result.message().isEmpty()) {
            out.append(": ").append(result.message());
        }
        return out.append(" (").append(duration(millis)).append(')').toString();
    }

    static String duration(long millis) {
        return millis < 1000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
    }
}
