package dev.mig.report;

import java.util.List;

/**
 * What a handover report says, as plain data the templates print (mustache: no logic in them). Lists come
 * sorted by the reporter, so the same stores give the same bytes.
 */
public final class Model {
    private Model() {
    }

    public record Report(String generatedAt, String scripts, List<Script> items, List<String> problems, boolean hasProblems) {
    }

    /** One script: the version it records and what the stores it names say about it. */
    public record Script(String file, String title, String version, String kind, String status, boolean applied, String appliedAt,
                         String duration, String who, String migVersion, String sha256, String shaMatches, List<Store> stores,
                         List<Step> steps, boolean hasSteps, List<Step> maps, boolean hasMaps, List<Step> checks, boolean hasChecks,
                         List<Step> live, boolean hasLive, List<Step> removed, boolean hasRemoved, List<Sample> samples, boolean hasSamples, List<Reject> rejects,
                         boolean hasRejects, long rejectedTotal, List<Change> schema, boolean hasSchema, List<Backup> backups,
                         boolean hasBackups, List<Policy> policies, boolean hasPolicies, List<Snapshot> watch, boolean hasWatch,
                         List<String> rollback, String rollbackCommand, String rowsSvg, String rejectsSvg, String timelineSvg) {
    }

    /** A connection the script declares: where (password hidden) and whether the report could read it. */
    public record Store(String name, String url, boolean reachable, String error, boolean state) {
    }

    /** One statement of the last run (mig_audit). */
    public record Step(int line, String statement, long read, long written, long rejected, String digest, String outcome,
                       String startedAt, String duration, String message, long startMs, long millis) {
    }

    public record Sample(String statement, String file, boolean exists) {
    }

    /** Rejected rows of one reason: how many, a few keys. */
    public record Reject(String reason, long count, String keys) {
    }

    /** A table before (the backup's manifest) and after (the table now). */
    public record Change(String table, String formatBefore, String formatAfter, String rowsBefore, String rowsAfter,
                         String columnsBefore, String columnsAfter, String indexesAfter, long before, long after) {
    }

    /** A backup or archive: where, how big, its sha256, and whether it still verifies now. */
    public record Backup(String kind, String table, String location, String size, String rows, String sha256, String status,
                         boolean verifies) {
    }

    /** A retention policy of the script, with what its registry and archives hold. */
    public record Policy(int line, String statement, long seen, long archives, long archivedRows) {
    }

    /** mig_snapshot: how the last run left a table (what mig watch compares with). */
    public record Snapshot(String table, String format, long rows, String recordedAt) {
    }
}
