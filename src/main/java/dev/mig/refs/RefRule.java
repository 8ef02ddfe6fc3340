package dev.mig.refs;

import java.util.regex.Pattern;

/**
 * What {@code mig refs} finds in application code: references to what a finished mem0 migration made
 * obsolete (MEM0.md sections 1, 3, 5). Each has a stable id (SARIF's ruleId, {@code mig:ignore ID}), the
 * pattern, which files it applies to, what the code expects and the fix. docs/refs.md lists them.
 */
public enum RefRule {
    HISTORY_G0_COLUMN("history-g0-column", "A column of mem0's G0 history (prev_value)", Files.CODE_AND_SQL,
            "['\"`]prev_value['\"`]|(?i)\\bprev_value\\b(?=.*\\b(?:from|into|history|set)\\b)|(?i)\\b(?:select|insert|update)\\b.*\\bprev_value\\b",
            null,
            "prev_value is a column of mem0's G0 history (0.0.2 - 0.0.9); after the migration the table is G2",
            "read old_memory (and new_memory, created_at, updated_at) from history"),
    HISTORY_TIMESTAMP_COLUMN("history-timestamp-column", "History read by its G0 timestamp column", Files.CODE_AND_SQL,
            "(?i)\\bhistory\\b.*(?:select|order\\s+by|where|,)\\s+timestamp\\b|(?i)(?:select|order\\s+by|where)\\s+timestamp\\b.*\\bhistory\\b",
            null,
            "history's timestamp column is G0's; G1 and G2 have created_at and updated_at",
            "use created_at (current mem0 writes UTC isoformat() text, so text order is time order)"),
    HISTORY_G1_NEW_VALUE("history-g1-new-value", "G1 history's new_value column", Files.CODE_AND_SQL,
            "(?i)\\bnew_value\\b.*\\b(?:old_memory|from\\s+history)\\b|(?i)\\b(?:old_memory|from\\s+history)\\b.*\\bnew_value\\b",
            null,
            "new_value is the extra column of G1 history (0.0.10 - 0.1.99), dropped by G2",
            "read new_memory"),
    ORPHAN_TABLE("orphan-table", "old_history or history_old", Files.CODE_AND_SQL,
            "\\b(?:old_history|history_old)\\b",
            null,
            "old_history / history_old are the tables mem0's start-up left behind (0.0.10, 0.1.34 - 0.1.106); the pack "
                    + "merged their rows into history and dropped them",
            "read history"),
    TS_V2_PAYLOAD_KEY("ts-v2-payload-key", "TypeScript SDK v2 payload keys in a filter or query", Files.CODE_AND_SQL,
            "payload\\s*->>?\\s*'(?:userId|agentId|runId)'|\\bpayload\\.(?:userId|agentId|runId)\\b"
                    + "|\\bfilters\\s*:\\s*\\{[^}]*\\b(?:userId|agentId|runId)\\s*:",
            "\\b(?:user_id|agent_id|run_id)\\b", // a fallback that reads both keys is fine
            "userId/agentId/runId are SDK v2's payload keys; 011 renamed them to user_id/agent_id/run_id, which v3 filters "
                    + "and the pgvector provider read",
            "use user_id / agent_id / run_id"),
    LEGACY_TIME_SQL("legacy-time-sql", "SQL that reads payload times as Pacific or epoch", Files.CODE_AND_SQL,
            "(?i)to_timestamp\\s*\\(\\s*\\(?\\s*\\(?\\s*payload\\s*->>?\\s*'(?:created_at|updated_at|createdAt|updatedAt)'"
                    + "|(?i)(?:US/Pacific|America/Los_Angeles|PST8PDT)",
            null,
            "mem0 before 1.0.7 wrote Pacific times and 0.0.x epoch seconds; the migration made every payload time UTC "
                    + "isoformat() text",
            "read the text as a UTC timestamptz: (payload->>'created_at')::timestamptz"),
    PINNED_OLD_PYTHON("pinned-old-mem0", "A pinned mem0 release that undoes the migration", Files.PYTHON_MANIFESTS,
            "(?i)\\bmem0ai\\s*(?:\\[[^\\]]*\\])?\\s*(?:==|<=|~=)\\s*0\\.|(?i)\\bmem0ai\\s*(?:\\[[^\\]]*\\])?\\s*<\\s*1\\b"
                    + "|(?i)\\bmem0ai\\s*(?:\\[[^\\]]*\\])?\\s*==\\s*1\\.0\\.[0-6]\\b",
            null,
            "mem0 before 0.1.107 rebuilds or orphans a migrated history when it starts (MEM0.md section 5), and before 1.0.7 "
                    + "writes Pacific times",
            "require a current mem0 (mem0ai>=1.0.7; a migrated history needs >=0.1.107)"),
    PINNED_TS_V2("pinned-ts-sdk-v2", "The TypeScript SDK 2.x", Files.NODE_MANIFESTS,
            "\"mem0ai\"\\s*:\\s*\"[~^]?\\s*2(?:\\.|\")|\"mem0ai\"\\s*:\\s*\"2\\.x\"",
            null,
            "the TypeScript SDK 2.x writes camelCase userId/agentId/runId into a collection 011 converted: v3 filters do not "
                    + "see those memories (MEM0.md section 5)",
            "upgrade to mem0ai 3.x");

    /** Which files a rule reads. */
    enum Files { CODE_AND_SQL, PYTHON_MANIFESTS, NODE_MANIFESTS }

    private final String id;
    private final String title;
    private final Files files;
    private final Pattern pattern;
    /** A line that also matches this is not a finding (e.g. code that reads both the old and the new key). */
    private final Pattern unless;
    private final String expects;
    private final String fix;

    RefRule(String id, String title, Files files, String regex, String unless, String expects, String fix) {
        this.id = id;
        this.title = title;
        this.files = files;
        this.pattern = Pattern.compile(regex);
        this.unless = unless == null ? null : Pattern.compile(unless);
        this.expects = expects;
        this.fix = fix;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String description() {
        return expects + ". Fix: " + fix + ".";
    }

    Files files() {
        return files;
    }

    Pattern pattern() {
        return pattern;
    }

    Pattern unless() {
        return unless;
    }

    String message() {
        return expects + "; fix: " + fix;
    }
}
