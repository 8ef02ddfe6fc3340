package dev.mig.run;

import dev.mig.run.session.StepResult;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Stmt;

/** The one line printed for each statement run. */
final class Summary {
    private Summary() {
    }

    static String line(Stmt stmt, StepResult result, long millis) {
        String head = Printer.statement(stmt).split("\n")[0];
        if (stmt instanceof Stmt.MapTable || stmt instanceof Stmt.Connect || stmt instanceof Stmt.Sql) {
            head = head.length() > 60 ? head.substring(0, 57) + "..." : head;
            if (stmt instanceof Stmt.Connect c) {
                head = "connect " + c.name();
            } else if (stmt instanceof Stmt.MapTable m) {
                head = "map " + m.source() + " -> " + m.target();
            }
        }
        StringBuilder out = new StringBuilder("line ").append(stmt.span().line()).append(": ").append(head);
        if (result.message() != null && !result.message().isEmpty()) {
            out.append(": ").append(result.message());
        }
        return out.append(" (").append(duration(millis)).append(')').toString();
    }

    static String duration(long millis) {
        return millis < 1000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
    }
}
