package dev.mig.syntax;

import java.util.List;
import java.util.Locale;

/** A statement of a script; one record per statement of docs/language.md. */
public sealed interface Stmt {

    Span span();

    /**
     * The statement keyword, as used in plans, audit rows and messages: the record's name in lower case
     * ({@code checksum}), unless the record says otherwise ({@code map}, {@code on rollback map}).
     */
    default String keyword() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    <R> R accept(Visitor<R> visitor);

    /** The statement as a block map ({@code map A.t -> B.u { ... }}; a one-field map as its block), or null. */
    default MapTable tableMap() {
        return null;
    }

    /**
     * The statement in one short line, for the line a run prints: its printed first line; a map, a connect
     * (never its URL) and a sql statement say what they touch.
     */
    default String headline() {
        return Printer.statement(this).split("\n", 2)[0];
    }

    /** Whether the statement overrides the backup-or-checksum guard ({@code force}): archive, purge, prune, cutover. */
    default boolean forced() {
        return this instanceof Forceable f && f.force();
    }

    /** A statement that takes {@code force}. */
    interface Forceable {
        boolean force();
    }

    /** One method per statement: the interpreter, planner and formatter dispatch through it. */
    interface Visitor<R> {
        R visitMigration(Migration s);
        R visitConnect(Connect s);
        R visitInventory(Inventory s);
        R visitDiff(Diff s);
        R visitSql(Sql s);
        R visitBackup(Backup s);
        R visitRestore(Restore s);
        R visitFreeze(Freeze s);
        R visitUnfreeze(Unfreeze s);
        R visitMapTable(MapTable s);
        R visitMapField(MapField s);
        R visitReplay(Replay s);
        R visitCutover(Cutover s);
        R visitRollbackMap(RollbackMap s);
        R visitChecksum(Checksum s);
        R visitSample(Sample s);
        R visitAssert(Assert s);
        R visitArchive(Archive s);
        R visitPurge(Purge s);
        R visitBackupsOf(BackupsOf s);
        R visitReceipt(Receipt s);
        R visitPrune(Prune s);
        R visitRollback(Rollback s);
        R visitSet(Set s);
        R visitTest(Test s);
    }

    /**
     * The header: {@code migration VERSION 'description'}, or {@code repeatable 'description'} (version
     * null): a script that runs again on every {@code mig run}, after the versioned ones.
     */
    record Migration(String version, Text description, Span span) implements Stmt {
        @Override
        public String keyword() {
            return repeatable() ? "repeatable" : "migration";
        }

        public boolean repeatable() {
            return version == null;
        }

        /** How the header is named in messages: {@code migration 3} or {@code repeatable 'copy history'}. */
        public String label() {
            return repeatable() ? "repeatable '" + description.value() + "'" : "migration " + version;
        }

        /** The key of its mig_history row: the version, or {@code R:description} for a repeatable script. */
        public String historyKey() {
            return repeatable() ? "R:" + description.value() : version;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitMigration(this);
        }
    }

    record Connect(String name, Text url, boolean readonly, Span span) implements Stmt {
        @Override
        public String headline() {
            return "connect " + name;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitConnect(this);
        }
    }

    /** {@code inventory conn} or {@code inventory conn.table}; table may be null. */
    record Inventory(String conn, String table, Span target, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitInventory(this);
        }
    }

    record Diff(TableRef left, TableRef right, Text to, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitDiff(this);
        }
    }

    record Sql(String conn, Text sql, Span connSpan, Span span) implements Stmt {
        @Override
        public String headline() {
            String head = Printer.statement(this).split("\n", 2)[0];
            return head.length() > 60 ? head.substring(0, 57) + "..." : head;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitSql(this);
        }
    }

    record Backup(TableRef table, Text file, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitBackup(this);
        }
    }

    record Restore(TableRef table, Text file, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitRestore(this);
        }
    }

    record Freeze(TableRef table, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitFreeze(this);
        }
    }

    record Unfreeze(TableRef table, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitUnfreeze(this);
        }
    }

    /** One line of a map block: {@code expr -> target [as type] [default expr]}. */
    record MapLine(Expr source, QName target, String type, Expr fallback, Span span) {
    }

    /**
     * {@code map A.t -> B.u [key k] [on conflict keep] { lines } [where cond]}; key empty means the
     * target's primary key. {@code keepExisting}: a key already in the target keeps its row there; a
     * mapped row that differs from it is rejected as a conflict instead of replacing it.
     */
    record MapTable(TableRef source, TableRef target, List<QName> key, boolean keepExisting, List<MapLine> lines, Expr where,
            Span span) implements Stmt {
        public MapTable {
            key = List.copyOf(key);
            lines = List.copyOf(lines);
        }

        @Override
        public String headline() {
            return "map " + source + " -> " + target;
        }

        public MapTable(TableRef source, TableRef target, List<QName> key, List<MapLine> lines, Expr where, Span span) {
            this(source, target, key, false, lines, where, span);
        }

        @Override
        public String keyword() {
            return "map";
        }

        @Override
        public MapTable tableMap() {
            return this;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitMapTable(this);
        }
    }

    /** {@code map A.t.f -> B.u.g [as type] [default expr] [where cond]}: the one-field form. */
    record MapField(FieldRef source, FieldRef target, String type, Expr fallback, Expr where, Span span)
            implements Stmt {
        /** The same move written as a block with one line. */
        @Override
        public MapTable tableMap() {
            return asTableMap();
        }

        public MapTable asTableMap() {
            QName from = new QName(source.path(), false, source.span());
            QName to = new QName(target.path(), false, target.span());
            return new MapTable(source.table(), target.table(), List.of(),
                    List.of(new MapLine(from, to, type, fallback, span)), where, span);
        }

        @Override
        public String keyword() {
            return "map";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitMapField(this);
        }
    }

    /**
     * {@code on rollback map A.u -> A.t { ... }}: how {@code mig rollback} carries rows written to the new
     * table after a cutover back into the legacy table, for the columns the inverse of the map cannot give.
     * Declared, not run: {@code mig run} records it.
     */
    record RollbackMap(MapTable map, Span span) implements Stmt {
        @Override
        public String keyword() {
            return "on rollback map";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitRollbackMap(this);
        }
    }

    /**
     * {@code cutover A.t -> A.u}: applications move from the legacy table to its replacement, in one
     * transaction that holds off their writes: queued writes since the last replay go through the map,
     * the capture goes, A.t is dropped and A.u takes its name.
     */
    record Cutover(TableRef legacy, TableRef replacement, boolean force, Span span) implements Stmt, Forceable {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitCutover(this);
        }
    }

    record Replay(TableRef source, TableRef target, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitReplay(this);
        }
    }

    /**
     * {@code checksum A.t} (target null) or {@code checksum A.t -> B.u [allow N] [allow extra]};
     * {@code allowExtra}: rows only in the target are not differences (the target also holds rows from
     * elsewhere, e.g. a merge).
     */
    record Checksum(TableRef table, TableRef target, long allow, boolean allowExtra, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitChecksum(this);
        }
    }

    /**
     * {@code sample N A.t -> B.u [seed S] [to 'file']}: a spot check of mapped rows; {@code sample N A.t
     * [where c]}: N random rows of one table (target null). seed and to may be null.
     */
    record Sample(int count, TableRef source, TableRef target, Expr where, Long seed, Text to, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitSample(this);
        }
    }

    record Assert(Assertion assertion, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitAssert(this);
        }
    }

    /** What an assert checks. */
    sealed interface Assertion {
        /** {@code none conn.table [where cond]}: no row (matching cond) exists. */
        record None(TableRef table, Expr where) implements Assertion {
        }

        /** Any boolean expression, e.g. {@code count(a.t) = count(b.u)}. */
        record Holds(Expr condition) implements Assertion {
        }
    }

    /**
     * {@code archive A.t [by col] [where cond] to 'file'} (toFile) or {@code ... to B.t_archive} (toTable). Without
     * where: the whole table. With where: the rows meeting it (with by: every row of each group of rows sharing
     * col's value whose condition, with any/every/max/min over the group, holds), archived, verified, then
     * deleted in pages - a retention policy.
     */
    record Archive(TableRef table, String by, Expr where, Text toFile, TableRef toTable, boolean force, Span span) implements Stmt, Forceable {
        /** A policy (some rows) rather than a whole table. */
        public boolean selective() {
            return where != null;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitArchive(this);
        }
    }

    /**
     * {@code backups of A.t where cond [rewrite]}: the backup and archive files mig recorded for tables named
     * like A.t that hold rows meeting cond - listed; with rewrite, each rewritten without them and re-verified.
     */
    record BackupsOf(TableRef table, Expr where, boolean rewrite, Span span) implements Stmt {
        @Override
        public String keyword() {
            return "backups";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitBackupsOf(this);
        }
    }

    /** {@code receipt to 'file'}: counts and digests of what this run removed, per table - no content. */
    record Receipt(Text file, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitReceipt(this);
        }
    }

    /** {@code purge A.t [if exists] [where cond] [force]}; with if exists, a missing table is nothing to purge. */
    record Purge(TableRef table, boolean ifExists, Expr where, boolean force, Span span) implements Stmt, Forceable {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitPurge(this);
        }
    }

    /** {@code prune A.t}, {@code prune A.t.col} or {@code prune A.t.col.key}. */
    record Prune(FieldRef target, boolean force, Span span) implements Stmt, Forceable {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitPrune(this);
        }
    }

    record Rollback(Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitRollback(this);
        }
    }

    /** {@code set name value}; value is the text (a string literal's content when quoted). */
    record Set(String name, String value, boolean quoted, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitSet(this);
        }
    }

    /**
     * {@code test 'command' [timeout SECONDS]}: the application's own tests run against the migrated data
     * (an external command); a failure stops the run before anything destructive, a pass counts as a
     * guard for the archive, purge and prune statements after it.
     */
    record Test(Text command, long timeoutSeconds, Span span) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitTest(this);
        }
    }
}
