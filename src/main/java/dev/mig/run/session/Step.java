package dev.mig.run.session;

import dev.mig.syntax.Stmt;

/**
 * How every statement runs: a step is made on the session (the connections, settings and memory it reads)
 * and entered through {@link #run}, one step class a statement form (a family of two statements, such as
 * backup and restore, keeps its shared code in one class and gives the second its own nested step).
 */
@FunctionalInterface
public interface Step<S extends Stmt> {
    StepResult run(S statement);
}
