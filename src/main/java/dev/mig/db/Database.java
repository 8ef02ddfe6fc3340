package dev.mig.db;

import dev.mig.db.internal.FaissDialect;
import dev.mig.db.internal.Postgres;
import dev.mig.db.internal.Sqlite;
import dev.mig.MigException;
import dev.mig.faiss.FaissStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * One named connection of a script. Autocommit is off: statements commit when they succeed, maps
 * per chunk; in a dry run nothing is ever committed (PostgreSQL) or the SQLite file is a copy.
 */
public final class Database implements AutoCloseable {
    private final String name;
    private final String url;
    private final boolean readonly;
    private final boolean dryRun;
    private final Dialect dialect;
    private volatile Handle handle; // replaced by reconnect()
    private final Map<String, TableInfo> described = new HashMap<>();
    private final Path copy;

    private Database(String name, String url, boolean readonly, boolean dryRun, Dialect dialect, Handle handle, Path copy) {
        this.name = name;
        this.url = url;
        this.readonly = readonly;
        this.dryRun = dryRun;
        this.dialect = dialect;
        this.handle = handle;
        this.copy = copy;
    }

    /**
     * Whether a lost connection may be opened again and the statement run again: a server database
     * outside a dry run (a dry run's uncommitted work would be lost with its session).
     */
    public boolean reconnectable() {
        return dialect.concurrentWriters() && !dryRun;
    }

    /** Whether the connection still answers (one round trip, at most two seconds). */
    public boolean alive() {
        try {
            Connection c = handle.getConnection();
            return !c.isClosed() && c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Opens the connection again with the same URL and session settings; the old one is dropped. */
    public void reconnect() {
        Database fresh = open(name, url, readonly, false);
        Handle old = handle;
        handle = fresh.handle;
        described.clear();
        try {
            old.close();
        } catch (RuntimeException ignored) {
            // it is gone already
        }
    }

    /** Another connection to this database that only reads: for a worker thread or a second cursor. */
    public Database anotherReader() {
        return open(name, url, true, false);
    }

    /** Another connection to this database that writes: for a worker thread (never in a dry run). */
    public Database anotherWriter() {
        return open(name, url, false, false);
    }

    /**
     * Opens a connection. A readonly SQLite file must exist (a typo must not migrate an empty new
     * file). In a dry run a writable SQLite file is copied first and the copy opened.
     */
    public static Database open(String name, String url, boolean readonly, boolean dryRun) {
        String kind = JdbcUrls.kind(url);
        Dialect dialect = switch (kind) {
            case "postgresql" -> new Postgres();
            case "sqlite" -> new Sqlite();
            case "faiss" -> new FaissDialect();
            default -> throw new MigException("connection '" + name + "': mig speaks PostgreSQL (jdbc:postgresql:...), "
                    + "SQLite (jdbc:sqlite:...) and mem0's FAISS store (faiss:FOLDER), not " + JdbcUrls.redact(url));
        };
        if (kind.equals("faiss")) { // only ever read: its collections are views of the files
            try {
                Handle handle = Jdbi.create(() -> FaissStore.connect(url)).open();
                return new Database(name, url, true, dryRun, dialect, handle, null);
            } catch (MigException e) {
                throw new MigException("connection '" + name + "': " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new MigException("cannot connect '" + name + "' (" + url + "): " + rootMessage(e), e);
            }
        }
        String target = url;
        Path copy = null;
        Properties properties = new Properties();
        if (dialect instanceof Sqlite) {
            String file = sqliteFile(url);
            if (file != null && !Files.exists(Path.of(file))) {
                if (readonly) {
                    throw new MigException("connection '" + name + "': no SQLite database at " + file);
                }
            } else if (file != null && dryRun && !readonly) {
                copy = dryRunCopy(name, Path.of(file));
                target = "jdbc:sqlite:" + copy;
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(30_000);
            config.setReadOnly(readonly);
            properties.putAll(config.toProperties());
        }
        try {
            Handle handle = Jdbi.create(target, properties).open();
            Connection c = handle.getConnection();
            if (dialect instanceof Postgres) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TIME ZONE 'UTC'");
                    s.execute("SET DateStyle = 'ISO, YMD'"); // timestamps written as checksums expect them
                    s.execute("SET application_name = 'mig'");
                }
                c.setReadOnly(readonly);
            }
            c.setAutoCommit(false);
            return new Database(name, url, readonly, dryRun, dialect, handle, copy);
        } catch (RuntimeException | SQLException e) {
            throw new MigException("cannot connect '" + name + "' (" + JdbcUrls.redact(url) + "): "
                    + JdbcUrls.scrub(rootMessage(e), url), e);
        }
    }

    private static Path dryRunCopy(String name, Path file) {
        try {
            Path dir = Files.createTempDirectory("mig-dry-run-");
            Path copy = dir.resolve(file.getFileName());
            Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            for (String suffix : List.of("-wal", "-shm")) {
                Path side = Path.of(file + suffix);
                if (Files.exists(side)) {
                    Files.copy(side, Path.of(copy + suffix));
                }
            }
            return copy;
        } catch (IOException e) {
            throw new MigException("connection '" + name + "': cannot copy " + file + " for the dry run: " + e.getMessage(), e);
        }
    }

    /** The file of a jdbc:sqlite: URL, or null for in-memory databases. */
    static String sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring(5);
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) {
            return null;
        }
        return rest;
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    /** A database error in one line, secrets removed. */
    public MigException error(String what, Throwable e) {
        String message = what + ": " + JdbcUrls.scrub(rootMessage(e), url);
        return e instanceof SQLException sql ? new DatabaseException(message, sql) : new MigException(message, e);
    }

    public String name() {
        return name;
    }

    public String redactedUrl() {
        return JdbcUrls.redact(url);
    }

    public String url() {
        return url;
    }

    public boolean readonly() {
        return readonly;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** What the connection is, for people: postgresql, sqlite, or faiss (mem0's FAISS store, through SQLite). */
    public String kind() {
        return JdbcUrls.kind(url).equals("faiss") ? "faiss" : dialect.name();
    }

    public Dialect dialect() {
        return dialect;
    }

    public Connection connection() {
        return handle.getConnection();
    }

    public Handle handle() {
        return handle;
    }

    public List<String> tables() {
        try {
            return dialect.tables(connection());
        } catch (SQLException e) {
            throw error("cannot list the tables of '" + name + "'", e);
        }
    }

    /** The table's description, or null when it does not exist. */
    public TableInfo describe(String table) {
        TableInfo info = described.get(table);
        if (info == null) {
            try {
                info = dialect.describe(connection(), table);
            } catch (SQLException e) {
                throw error("cannot describe " + name + "." + table, e);
            }
            if (info != null) {
                described.put(table, info);
            }
        }
        return info;
    }

    /** Forgets cached table descriptions (after DDL). */
    public void schemaChanged() {
        described.clear();
    }

    /** Stops the statement running on this connection (from another thread: Ctrl-C in the REPL). */
    public void cancel() {
        try {
            Connection c = handle.getConnection();
            if (dialect instanceof Postgres) {
                c.unwrap(PGConnection.class).cancelQuery();
            } else {
                c.unwrap(SQLiteConnection.class).getDatabase().interrupt();
            }
        } catch (SQLException | RuntimeException ignored) {
            // nothing running, or the connection is gone: nothing to cancel
        }
    }

    public void commit() {
        try {
            if (!dryRun || copy != null) {
                connection().commit();
            }
        } catch (SQLException e) {
            throw error("commit on '" + name + "' failed", e);
        }
    }

    public void rollback() {
        try {
            connection().rollback();
        } catch (SQLException e) {
            throw error("rollback on '" + name + "' failed", e);
        }
    }

    @Override
    public void close() {
        try {
            // whatever was not committed is not wanted (a dry run, a failed statement); autocommit
            // on tells Jdbi no transaction is left open
            connection().rollback();
            connection().setAutoCommit(true);
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            handle.close();
        } catch (RuntimeException ignored) {
            // a connection the server already ended cannot close cleanly; it is closed all the same
        }
        if (copy != null) {
            try {
                Files.deleteIfExists(Path.of(copy + "-wal"));
                Files.deleteIfExists(Path.of(copy + "-shm"));
                Files.deleteIfExists(copy);
                Files.deleteIfExists(copy.getParent());
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
