package dev.mig.report;

import dev.mig.db.Database;
import dev.mig.resolve.Env;
import dev.mig.resolve.RunOptions;
import dev.mig.syntax.Text;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a report of one script reads through: the run's options, its ${VAR}s and the connections it
 * reopened (read only). A report never runs a statement, so it needs none of a running session.
 */
final class Scope implements AutoCloseable {
    private final RunOptions options;
    private final Env env;
    private final Map<String, Database> connections = new LinkedHashMap<>();

    Scope(RunOptions options) {
        this.options = options;
        this.env = new Env(options.environment());
    }

    RunOptions options() {
        return options;
    }

    /** A string of the script with its ${VAR}s resolved; a MigException names an unset one. */
    String resolve(Text text) {
        return env.resolve(text.value());
    }

    /** A path from the script, relative to the base directory, as the run resolved it. */
    Path path(Text text) {
        Path p = Path.of(resolve(text));
        return p.isAbsolute() ? p : options.baseDir().resolve(p).normalize();
    }

    void add(Database db) {
        connections.put(db.name(), db);
    }

    Map<String, Database> connections() {
        return connections;
    }

    @Override
    public void close() {
        connections.values().forEach(Database::close);
    }
}
