package dev.mig.plan;

import dev.mig.syntax.Script;
import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A script's connections and settings, read once: what the runner opens, the report reopens and the
 * planner lists, and the one rule of which connection keeps mig's state.
 *
 * @param connections the {@code connect} statements, in order
 * @param settings    the {@code set} statements, in order
 * @param written     the connections a statement of the script may write ({@link Effects#writtenConnections})
 */
public record Prelude(List<Stmt.Connect> connections, List<Stmt.Set> settings, Set<String> written) {

    public static Prelude of(Script script) {
        List<Stmt.Connect> connections = new ArrayList<>();
        List<Stmt.Set> settings = new ArrayList<>();
        Set<String> written = new LinkedHashSet<>();
        for (Stmt stmt : script.statements()) {
            if (stmt instanceof Stmt.Connect c) {
                connections.add(c);
            } else if (stmt instanceof Stmt.Set s) {
                settings.add(s);
            }
            written.addAll(Effects.writtenConnections(stmt));
        }
        return new Prelude(List.copyOf(connections), List.copyOf(settings), Set.copyOf(written));
    }

    /** The script's first {@code set name = ...}: where a file setting (audit, rejects) takes effect from line one. */
    public Optional<Stmt.Set> first(String name) {
        return settings.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The script's last {@code set name = ...}: what holds after its last line (the rejects file a report reads). */
    public Optional<Stmt.Set> last(String name) {
        Stmt.Set last = null;
        for (Stmt.Set s : settings) {
            if (s.name().equalsIgnoreCase(name)) {
                last = s;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The connection {@code set state} names, if the script names one. */
    public Optional<String> namedState() {
        return last("state").map(Stmt.Set::value);
    }

    /**
     * The connection that keeps mig_history and mig_audit: the one {@code set state} names; else the last
     * connection declared without {@code readonly} that a statement writes (a database the script only reads
     * while it writes another is never written); else, for a script that writes no database (a backup and
     * checks only), one that already keeps mig's state ({@code holdsState}), else the last writable one.
     * Empty when every connection is readonly. {@code open} says which connections could be opened.
     */
    public Optional<String> stateConnection(Predicate<String> open, Predicate<String> holdsState) {
        Optional<String> named = namedState();
        if (named.isPresent()) {
            return named;
        }
        List<String> writable = new ArrayList<>();
        String lastWritten = null;
        for (Stmt.Connect c : connections) {
            if (!c.readonly() && open.test(c.name())) {
                writable.add(c.name());
                lastWritten = written.contains(c.name()) ? c.name() : lastWritten;
            }
        }
        if (lastWritten != null || writable.isEmpty()) {
            return Optional.ofNullable(lastWritten);
        }
        return Optional.of(writable.stream().filter(holdsState).findFirst().orElse(writable.get(writable.size() - 1)));
    }
}
