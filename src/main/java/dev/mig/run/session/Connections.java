package dev.mig.run.session;

import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.plan.Prelude;
import dev.mig.syntax.Span;
import dev.mig.syntax.TableRef;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The databases of one run or REPL session: which are open, which keeps mig's state tables, and which a
 * statement of this run has written (only those get a snapshot or state tables).
 */
public final class Connections {
    private final String file;
    private final Map<String, Database> open = new LinkedHashMap<>();
    private final Map<String, Boolean> holdsState = new HashMap<>();
    private final Set<String> written = new LinkedHashSet<>();
    private String stateName;
    private boolean stateFixed;
    /** The script's connections, settings and written connections (null in the REPL, which has no whole script). */
    private Prelude prelude;

    Connections(String file) {
        this.file = file;
    }

    public boolean has(String name) {
        return open.containsKey(name);
    }

    public void add(Database db) {
        open.put(db.name(), db);
        if (!db.readonly() && !stateFixed) {
            stateName = db.name(); // the REPL's rule: the last writable connection
        }
    }

    /** The script this session runs: its state connection follows {@link Prelude#stateConnection}. */
    public void prelude(Prelude prelude) {
        this.prelude = prelude;
    }

    /** The connections this run's statements wrote, in the order first written. */
    public Set<String> written() {
        return Collections.unmodifiableSet(written);
    }

    void wrote(Collection<String> names) {
        written.addAll(names);
    }

    /** Every open connection by name, in the order connected. */
    public Map<String, Database> all() {
        return open;
    }

    public Database db(String name, Span span) {
        Database db = open.get(name);
        if (db == null) {
            throw new RunException(file, span, "unknown connection '" + name + "'" + (open.isEmpty() ? ""
                    : "; connected: " + String.join(", ", open.keySet())));
        }
        return db;
    }

    public Database db(TableRef table) {
        return db(table.conn(), table.span());
    }

    /** The table, described; an error at the reference when it does not exist. */
    public TableInfo table(TableRef ref) {
        Database db = db(ref);
        TableInfo info = db.describe(ref.table());
        if (info == null) {
            throw new RunException(file, ref.span(),
                    "no table " + ref.table() + " on '" + ref.conn() + "' (" + db.redactedUrl() + ")");
        }
        return info;
    }

    /** The connection that keeps mig_history and mig_audit (the script's rule: {@link Prelude#stateConnection}); null when none is writable. */
    public Database state() {
        if (prelude != null && !stateFixed) {
            return prelude.stateConnection(n -> open.containsKey(n) && !open.get(n).readonly(),
                    n -> holdsState.computeIfAbsent(n, k -> holdsState(open.get(k)))).map(open::get).orElse(null);
        }
        return stateName == null ? null : open.get(stateName);
    }

    /** {@code set state NAME}: mig's tables live on this connection from now on. */
    public void keepStateOn(String name, Span span) {
        if (db(name, span).readonly()) {
            throw new RunException(file, span, "'" + name + "' is readonly and cannot keep mig's state tables");
        }
        this.stateName = name;
        this.stateFixed = true;
    }

    private static boolean holdsState(Database db) {
        try {
            return db.describe("mig_history") != null;
        } catch (RuntimeException e) {
            return false; // an unreadable catalog is found by the statement that needs it
        } finally {
            db.commit();
        }
    }

    void closeAll() {
        for (Database db : open.values()) {
            try {
                db.close();
            } catch (RuntimeException ignored) {
                // closing the others matters more
            }
        }
        open.clear();
    }
}
