package dev.mig.run.verify;

import dev.mig.data.LogicalType;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.Session;
import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code checksum A.t -> B.u} resolved once, before anything is read: the map rows go through (this
 * run's or the one recorded), the key and the columns compared, the source's key columns in the
 * target key's order, and which of them are read as text (integer ids that became text ids). A key the map
 * computes (not a plain column) is {@code computedKey}: the source is then read by its own primary key and its
 * entries sorted by the computed key ({@link SortedSide}).
 */
record ChecksumPlan(Stmt.Checksum statement, CompiledMap compiled, TableInfo source, TableInfo target, Database sourceDb,
                    Database targetDb, List<String> key, List<String> columns, List<String> sourceOrder, List<String> asText,
                    boolean computedKey) {

    static ChecksumPlan resolve(Session session, Stmt.Checksum s) {
        Stmt.MapTable map = session.memory().mapOrRecorded(s.table(), s.target());
        TableInfo source = session.connections().table(s.table());
        TableInfo target = session.connections().table(s.target());
        CompiledMap compiled = map == null ? null : CompiledMap.compile(session, map);
        List<String> key;
        List<String> columns;
        List<String> sourceOrder = new ArrayList<>();
        if (compiled != null) {
            key = compiled.key();
            columns = compiled.written();
            for (String k : key) {
                String plain = compiled.plainSource(k);
                if (plain == null) {
                    sourceOrder.clear(); // a computed key: the source is read as stored and sorted by what the map makes
                    break;
                }
                sourceOrder.add(plain);
            }
            if (sourceOrder.isEmpty()) {
                if (source.primaryKey().isEmpty()) {
                    throw session.error(s.span(), "checksum: the map computes key " + String.join(", ", key) + " and "
                            + s.table() + " has no primary key to read it by");
                }
                return new ChecksumPlan(s, compiled, source, target, session.connections().db(s.table()), session.connections().db(s.target()), List.copyOf(key),
                        List.copyOf(columns), List.copyOf(source.primaryKey()), List.of(), true);
            }
        } else {
            key = target.primaryKey().isEmpty() ? source.primaryKey() : target.primaryKey();
            if (key.isEmpty()) {
                throw session.error(s.span(), "no key to compare by: neither table has a primary key");
            }
            columns = new ArrayList<>();
            for (Column c : target.columns()) {
                if (source.column(c.name()) != null) {
                    columns.add(c.name());
                }
            }
            for (String k : key) {
                if (source.column(k) == null || target.column(k) == null) {
                    throw session.error(s.span(), "no map " + s.table() + " -> " + s.target() + " ran before, and key "
                            + k + " is not in both tables");
                }
                sourceOrder.add(source.column(k).name());
            }
        }
        List<String> asText = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            LogicalType targetType = target.column(key.get(i)).type();
            LogicalType sourceType = source.column(sourceOrder.get(i)).type();
            if (targetType != sourceType && (targetType == LogicalType.TEXT
                    || targetType == LogicalType.UUID || targetType == LogicalType.OTHER)) {
                asText.add(sourceOrder.get(i)); // e.g. integer ids that became text ids: compare in text order
            } else if (targetType != sourceType && !(isNumber(targetType) && isNumber(sourceType))
                    && sourceType != LogicalType.OTHER) {
                throw session.error(s.span(), "checksum merges both tables in key order, but key " + key.get(i) + " is "
                        + targetType.name().toLowerCase() + " in " + s.target() + " and " + sourceType.name().toLowerCase()
                        + " in " + s.table() + ", which sort differently");
            }
        }
        return new ChecksumPlan(s, compiled, source, target, session.connections().db(s.table()), session.connections().db(s.target()), List.copyOf(key),
                List.copyOf(columns), List.copyOf(sourceOrder), List.copyOf(asText), false);
    }

    /** Whether the source is read by its primary key (then writes queued since the last replay can be told apart). */
    boolean byPrimaryKey() {
        return !computedKey && source.primaryKey().equals(sourceOrder);
    }

    /** A map of a table onto itself: the target side is filtered by its where too. */
    CompiledMap sameTable() {
        return compiled != null && compiled.inPlace() ? compiled : null;
    }

    private static boolean isNumber(LogicalType type) {
        return type == LogicalType.INTEGER || type == LogicalType.FLOAT;
    }
}
