package dev.mig.repl;

import dev.mig.MigException;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.fmt.Formatter;
import dev.mig.plan.Planner;
import dev.mig.resolve.RunOptions;
import dev.mig.run.Interpreter;
import dev.mig.run.session.ProgressListener;
import dev.mig.run.session.RunException;
import dev.mig.run.session.Session;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The REPL without a terminal: lines in, text out through {@link IO}. A statement runs when it is
 * complete; an incomplete one waits for more lines; a wrong one shows the error with a caret and the
 * session goes on. Statements that ran are kept for :list, :plan and :save.
 */
public final class ReplCore {
    /** Where the REPL writes. width() is the terminal width, 0 when lines must not be cut. */
    public interface IO {
        void print(String text);

        default int width() {
            return 0;
        }

        /** Runs the editor command on the file and waits; true when it exits 0. The console lends it the terminal. */
        default boolean edit(String editor, Path file) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "sh", file.toString()).inheritIO().start();
            return p.waitFor() == 0;
        }
    }

    private final IO io;
    private final RunOptions baseOptions;
    private final StringBuilder buffer = new StringBuilder();
    private final List<String> entered = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final Commands commands = new Commands(this);
    private final ReplCompleter completer = new ReplCompleter(this);
    private Session session;
    private Interpreter interpreter;
    private boolean dry;
    private int sourceNumber;
    private ProgressListener progress = ProgressListener.NONE;

    public ReplCore(IO io, RunOptions baseOptions) {
        this.io = io;
        this.baseOptions = baseOptions;
        openSession();
    }

    private void openSession() {
        RunOptions options = new RunOptions(dry, baseOptions.environment(), baseOptions.baseDir(), this::printResult);
        session = new Session("mig-repl", options);
        // looking leaves no trace: no mig_audit in a database the session only read, and the session's own
        // audit and rejects files in ~/.mig/, not in whatever directory the REPL started in
        session.outputs().lookOnly(true);
        Path own = ownDirectory();
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        session.outputs().auditPath(own.resolve("repl-" + day + ".audit.jsonl"));
        session.outputs().rejectsPath(own.resolve("repl-" + day + ".rejects.jsonl"));
        session.progress(progress);
        interpreter = new Interpreter(session);
    }

    /** ~/.mig (HOME from the session's environment), where the REPL keeps its files. */
    private Path ownDirectory() {
        String home = baseOptions.environment().getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".mig");
    }

    public String prompt() {
        return buffer.length() == 0 ? (dry ? "mig(dry)> " : "mig> ") : "...> ";
    }

    public boolean dry() {
        return dry;
    }

    public Session session() {
        return session;
    }

    List<String> entered() {
        return entered;
    }

    List<String> lines() {
        return lines;
    }

    IO io() {
        return io;
    }

    /** True when this text is not a whole statement yet (the console asks for another line). */
    public static boolean incomplete(String text) {
        if (text.trim().startsWith(":")) {
            return false;
        }
        return Syntax.parse("repl", text + "\n").incomplete();
    }

    /** Takes one line (or several, from a console that joined them); returns false to leave. */
    public boolean accept(String line) {
        lines.add(line);
        if (buffer.length() == 0 && line.trim().startsWith(":")) {
            return commands.run(line.trim());
        }
        if (buffer.length() == 0 && line.isBlank()) {
            return true;
        }
        buffer.append(line).append('\n');
        String text = buffer.toString();
        ParseResult parsed = Syntax.parse("repl", text);
        if (parsed.incomplete()) {
            return true;
        }
        buffer.setLength(0);
        if (!parsed.ok()) {
            for (Diagnostic d : parsed.errors()) {
                io.print(shown(d, text));
            }
            return true;
        }
        run(parsed.script(), text);
        return true;
    }

    /** Drops a statement being typed (Ctrl-C at a continuation prompt). */
    public void discardInput() {
        buffer.setLength(0);
    }

    void run(Script script, String text) {
        for (Stmt stmt : script.statements()) {
            try {
                interpreter.execute(stmt);
                if (!(stmt instanceof Stmt.Migration)) {
                    entered.add(text.substring(stmt.span().start(), stmt.span().end()));
                }
            } catch (RunException e) {
                io.print(shown(Diagnostic.error("repl", e.span(), e.reason()), text));
                return;
            } catch (MigException e) {
                io.print("error: " + e.getMessage());
                return;
            }
        }
    }

    private static String shown(Diagnostic d, String text) {
        String full = d.withSource(JdbcUrls.redactText(text));
        int at = full.indexOf(": error: ");
        return at < 0 ? full : full.substring(at + 2); // "error: ..." — the file name says nothing in a REPL
    }

    /** Statement output, cut to the terminal width (tables must not wrap). */
    private void printResult(String text) {
        int width = io.width();
        if (width <= 0) {
            io.print(text);
            return;
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line.length() > width ? line.substring(0, Math.max(1, width - 1)) + "\u2026" : line);
        }
        io.print(out.toString());
    }

    // ---- used by the commands

    void setDry(boolean on) {
        if (on == dry) {
            io.print("dry-run mode is already " + (on ? "on" : "off"));
            return;
        }
        List<String> connects = new ArrayList<>();
        for (String statement : entered) {
            if (statement.trim().toLowerCase().startsWith("connect")) {
                connects.add(statement);
            }
        }
        session.close();
        dry = on;
        openSession();
        for (String connect : connects) {
            ParseResult parsed = Syntax.parse("repl", connect + "\n");
            for (Stmt stmt : parsed.script().statements()) {
                interpreter.execute(stmt);
            }
        }
        io.print(on ? "dry-run mode on: what follows runs, but nothing is committed (SQLite files are copies)"
                : "dry-run mode off: statements are committed again");
    }

    void reset() {
        session.close();
        entered.clear();
        buffer.setLength(0);
        dry = false;
        openSession();
        io.print("session reset: no connections, no statements");
    }

    void load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            io.print("error: cannot read " + file + ": " + e.getMessage());
            return;
        }
        ParseResult parsed = Syntax.parse(file.toString(), text);
        if (!parsed.ok()) {
            for (Diagnostic d : parsed.errors()) {
                io.print(d.withSource(JdbcUrls.redactText(text)));
            }
            return;
        }
        run(parsed.script(), text);
    }

    /** The statements so far as a versioned script, formatted. */
    String script(String version, String description) {
        StringBuilder text = new StringBuilder("migration " + version + " '" + description.replace("'", "''") + "'\n");
        for (String statement : entered) {
            text.append(statement).append('\n');
        }
        return Formatter.format("saved.mig", text.toString());
    }

    String plan() {
        ParseResult parsed = Syntax.parse("session", script(Integer.toString(++sourceNumber), "this session"));
        return Planner.plan(parsed.script());
    }

    /** Cancels what is running on every connection (Ctrl-C during a statement). */
    public void cancel() {
        for (Database db : session.connections().all().values()) {
            db.cancel();
        }
    }

    /** How long statements report progress (a bar on a terminal, plain lines otherwise). */
    public void progress(ProgressListener listener) {
        this.progress = listener;
        session.progress(listener);
    }

    public ReplCompleter completer() {
        return completer;
    }

    void schemaRefreshed() {
        completer.clear();
    }

    public void close() {
        session.close();
    }
}
