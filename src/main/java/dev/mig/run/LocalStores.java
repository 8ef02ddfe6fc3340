package dev.mig.run;

import dev.mig.data.Builtin;
import dev.mig.db.Database;
import dev.mig.faiss.FaissIndex;
import dev.mig.faiss.FaissStore;
import dev.mig.mem0.QdrantLocal;
import dev.mig.plan.Prelude;
import dev.mig.run.session.RunException;
import dev.mig.run.session.Session;
import dev.mig.syntax.Expr;
import dev.mig.syntax.Exprs;
import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Text;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Preflight for a connection to a local Qdrant collection (Python mem0's default store): that no running
 * process holds the store (a running mem0 writes to it while it is read), and that each map's
 * {@code vector(..., dims)} asks for the size meta.json gives the collection - both before the first write.
 * For mem0's FAISS store, the size its .faiss index holds.
 */
final class LocalStores {
    private LocalStores() {
    }

    static void check(Session session, Script script, List<RunException> out) {
        for (Stmt.Connect c : Prelude.of(script).connections()) {
            if (session.connections().has(c.name())) {
                Database db = session.connections().all().get(c.name());
                if (db.kind().equals("faiss")) {
                    faiss(session, script, c, db, out);
                    continue;
                }
                Optional<Path> root = QdrantLocal.rootOf(db.url());
                if (root.isEmpty()) {
                    continue;
                }
                String holder = QdrantLocal.holder(root.get());
                if (holder != null) {
                    out.add(session.error(c.span(), "the local Qdrant store at " + root.get() + " is in use: " + holder
                            + "; stop the application (mem0) and run again, so that no write is missed"));
                }
                QdrantLocal.Collection collection = QdrantLocal.collections(root.get()).get(QdrantLocal.collectionOf(db.url()));
                if (collection != null) {
                    dims(session, script, c.name(), collection.size(), "collection '" + collection.name()
                            + "' of the local Qdrant store at " + root.get(), "meta.json", out);
                }
            }
        }
    }

    /** A FAISS store's collection: each map's dims against those of its .faiss index. */
    private static void faiss(Session session, Script script, Stmt.Connect c, Database db, List<RunException> out) {
        Path dir = FaissStore.folder(db.url());
        String only = FaissStore.collection(db.url());
        for (Map.Entry<String, Path> e : FaissStore.indexes(dir).entrySet()) {
            if (only == null || only.equals(e.getKey())) {
                try (FaissIndex index = FaissIndex.open(e.getValue())) {
                    dims(session, script, c.name(), index.dims(), "collection '" + e.getKey() + "' of the FAISS store at " + dir,
                            e.getKey() + ".faiss", out);
                }
            }
        }
    }

    private static void dims(Session session, Script script, String conn, int size, String store, String source,
                             List<RunException> out) {
        for (Stmt stmt : script.statements()) {
            Stmt.MapTable map = stmt.tableMap();
            if (map == null || !map.source().conn().equals(conn)) {
                continue;
            }
            for (Stmt.MapLine line : map.lines()) {
                Exprs.walk(line.source(), e -> {
                    if (e instanceof Expr.Call call && Builtin.of(call.function()) == Builtin.VECTOR && call.args().size() == 2
                            && call.args().get(1) instanceof Expr.Literal lit && lit.value() != null) {
                        String asked = lit.value() instanceof String s ? session.resolve(new Text(s, false, lit.span())) : lit.value().toString();
                        if (!asked.strip().equals(String.valueOf(size))) {
                            out.add(session.error(lit.span(), "the map asks for vectors of " + asked.strip() + " dims, but " + store
                                    + " holds vectors of " + size + " dims (" + source + "): set MEM0_DIMS=" + size));
                        }
                    }
                });
            }
        }
    }
}
