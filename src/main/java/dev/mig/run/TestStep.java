package dev.mig.run;

import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * test 'command' [timeout SECONDS]: the application's own tests against the migrated data. The command
 * runs in a shell in the base directory with the run's variables and, for each connection, its JDBC URL
 * as MIG_CONN_NAME; its output goes to a log file beside the audit file and its last lines to the
 * audit (passwords masked). A failure or a timeout stops the run; a pass guards the archive, purge and
 * prune statements after it. Not run in a dry run: it would see none of what the run did.
 */
final class TestStep implements Step<Stmt.Test> {
    private static final int TAIL = 20;
    private final Session session;

    TestStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Test s) {
        String command = session.resolve(s.command());
        if (session.dryRun()) {
            return StepResult.of("not run in a dry run (it would see none of what the run did): " + JdbcUrls.redactText(command));
        }
        Path log = logFile(s);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(session.options().baseDir().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.putAll(session.options().environment());
        for (Database db : session.connections().all().values()) {
            env.put("MIG_CONN_" + db.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), db.url());
        }
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw session.error(s.span(), "test could not start '" + JdbcUrls.redactText(command) + "': " + e.getMessage());
        }
        boolean done;
        try {
            done = p.waitFor(s.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String tail = tail(log);
        if (!done) {
            throw session.error(s.span(), "the tests did not finish within " + s.timeoutSeconds() + " s and were stopped; nothing "
                    + "after this statement ran. Output: " + log + tail);
        }
        if (p.exitValue() != 0) {
            throw session.error(s.span(), "the tests failed (exit " + p.exitValue() + ") after " + String.format("%.1f", seconds)
                    + " s; nothing after this statement ran. Output: " + log + tail);
        }
        session.memory().safety().testsPassed();
        return StepResult.of("passed (exit 0) in " + String.format("%.1f", seconds) + " s; output: " + log + tail);
    }

    private Path logFile(Stmt.Test s) {
        Path audit = session.outputs().audit().file();
        String stem = audit.getFileName().toString().replace(".audit.jsonl", "");
        Path log = audit.toAbsolutePath().resolveSibling(stem + ".test-line" + s.span().line() + ".log");
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw session.error(s.span(), "cannot write the test output to " + log + ": " + e.getMessage());
        }
        return log;
    }

    /** The last lines of the output, passwords masked. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - TAIL), lines.size());
            return last.isEmpty() ? "" : "\n    " + JdbcUrls.redactText(String.join("\n    ", last));
        } catch (IOException e) {
            return "";
        }
    }
}
