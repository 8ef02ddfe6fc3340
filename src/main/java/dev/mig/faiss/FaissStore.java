package dev.mig.faiss;

import dev.mig.MigException;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sqlite.Function;

/**
 * mem0's FAISS store (the folder of its FAISS config's {@code path}) as a read-only database mig can map
 * from: a connection to a private in-memory SQLite in which each collection is a view
 * {@code <collection>(id, vector, payload)}, as mem0's pgvector table has them. Ids and payloads come from
 * the docstore (held in the in-memory database: the size of the docstore, not of the vectors); each
 * vector is read from the .faiss file when its row is read, as the float32 bytes FAISS holds. The view's
 * {@code row} column is the index row index_to_id gives the memory (null when mem0 lost it). The store's
 * files are only read.
 */
public final class FaissStore {
    /** One collection: its index and which docstore file was read. */
    public record Collection(String name, FaissIndex index, Path docstore) {
    }

    private FaissStore() {
    }

    /** The collections of a FAISS folder: each {@code <name>.faiss} with the docstore mem0 would read for it. */
    public static Map<String, Path> indexes(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new MigException("no FAISS store at " + dir + ": not a folder (mem0's FAISS config 'path'; default /tmp/faiss/<collection>)");
        }
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".faiss") && Files.isRegularFile(f))
                    .forEach(f -> out.put(f.getFileName().toString().replaceFirst("\\.faiss$", ""), f));
        } catch (IOException e) {
            throw new MigException("cannot list the FAISS store " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    public static boolean isStore(Path dir) {
        try {
            return Files.isDirectory(dir) && !indexes(dir).isEmpty();
        } catch (MigException e) {
            return false;
        }
    }

    /** The folder of a {@code faiss:FOLDER[?collection=NAME]} URL. */
    public static Path folder(String url) {
        String rest = url.substring("faiss:".length());
        int query = rest.indexOf('?');
        return Path.of(query < 0 ? rest : rest.substring(0, query));
    }

    /** The collection a {@code faiss:FOLDER?collection=NAME} URL names, or null for all of them. */
    public static String collection(String url) {
        int at = url.indexOf("?collection=");
        return at < 0 ? null : url.substring(at + "?collection=".length());
    }

    /**
     * A new connection to the store a {@code faiss:} URL names; closing it closes the index files. Each
     * collection is a view by its name; with {@code ?collection=NAME}, only that one, as the view
     * {@code points} (as a local Qdrant collection's table is named).
     */
    public static Connection connect(String url) throws SQLException {
        Path dir = folder(url);
        String only = collection(url);
        Map<String, Path> indexes = indexes(dir);
        if (indexes.isEmpty()) {
            throw new MigException("no FAISS index (<collection>.faiss) in " + dir + ": mem0's FAISS store keeps <collection>.faiss and "
                    + "<collection>.json (or .pkl before mem0 2.0) in its config's path");
        }
        if (only != null) {
            if (!indexes.containsKey(only)) {
                throw new MigException("the FAISS store at " + dir + " has no collection '" + only + "' (no " + only + ".faiss); it has: "
                        + String.join(", ", indexes.keySet()));
            }
            indexes = Map.of(only, indexes.get(only));
        }
        List<FaissIndex> open = new ArrayList<>();
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        try {
            Map<String, FaissIndex> byName = new TreeMap<>();
            for (Map.Entry<String, Path> e : indexes.entrySet()) {
                Path docstore = FaissDocstore.file(dir, e.getKey());
                if (docstore == null) {
                    throw new MigException("the FAISS index " + e.getValue() + " has no docstore (" + e.getKey() + ".json or "
                            + e.getKey() + ".pkl) beside it: its vectors have no ids");
                }
                FaissIndex index = FaissIndex.open(e.getValue());
                open.add(index);
                byName.put(e.getKey(), index);
                load(c, e.getKey(), only == null ? e.getKey() : "points", docstore);
            }
            Function.create(c, "mig_faiss_vector", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    FaissIndex index = byName.get(value_text(0));
                    byte[] row = index == null || value_type(1) == 5 /* SQLITE_NULL */ ? null : index.row(value_long(1));
                    if (row == null) {
                        result();
                    } else {
                        result(row);
                    }
                }
            }, 2, Function.FLAG_DETERMINISTIC);
            c.setAutoCommit(false);
            return new Closing(c, open).connection();
        } catch (SQLException | RuntimeException e) {
            open.forEach(FaissIndex::close);
            c.close();
            throw e;
        }
    }

    /** The collection's docstore into temp tables, and its view. */
    private static void load(Connection c, String name, String view, Path docstore) throws SQLException {
        String docs = quote("mig_faiss_docs_" + name);
        String rows = quote("mig_faiss_rows_" + name);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE " + docs + " (id TEXT PRIMARY KEY, payload TEXT)");
            s.execute("CREATE TEMP TABLE " + rows + " (id TEXT PRIMARY KEY, \"row\" INTEGER)");
        }
        c.setAutoCommit(false);
        try (PreparedStatement doc = c.prepareStatement("INSERT OR REPLACE INTO " + docs + " VALUES (?, ?)");
             PreparedStatement row = c.prepareStatement("INSERT OR REPLACE INTO " + rows + " VALUES (?, ?)")) {
            FaissDocstore.read(docstore, new FaissDocstore.Sink() {
                @Override
                public void doc(String id, String payloadJson) {
                    run(doc, id, payloadJson);
                }

                @Override
                public void row(long number, String id) {
                    run(row, id, number);
                }
            });
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP VIEW " + quote(view) + " AS SELECT d.id AS id, mig_faiss_vector('" + name.replace("'", "''")
                    + "', r.\"row\") AS vector, d.payload AS payload, r.\"row\" AS \"row\" FROM " + docs + " d LEFT JOIN " + rows
                    + " r ON r.id = d.id");
        }
    }

    private static void run(PreparedStatement ps, String id, Object value) {
        try {
            ps.setString(1, id);
            ps.setObject(2, value);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new MigException("cannot hold the FAISS docstore in memory: " + e.getMessage(), e);
        }
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The connection, with the index files closed when it is. */
    private record Closing(Connection target, List<FaissIndex> indexes) implements InvocationHandler {
        Connection connection() {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("close")) {
                indexes.forEach(FaissIndex::close);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
