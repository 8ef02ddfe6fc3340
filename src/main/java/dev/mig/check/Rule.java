package dev.mig.check;

import dev.mig.syntax.Diagnostic.Severity;

/**
 * Every kind of finding of {@code mig check}, with a stable id (what {@code -- mig:ignore ID} names,
 * what SARIF's ruleId is), its severity, a short and a full description. docs/rules.md lists them
 * (RuleDocsTest keeps the two in step); an id never changes meaning once released.
 */
public enum Rule {
    SYNTAX("syntax", Severity.ERROR, "The script does not parse",
            "A statement is malformed: the parser says what it expected and what it found instead."),
    HEADER_DUPLICATE("header-duplicate", Severity.ERROR, "A second migration or repeatable header",
            "A script has one header, 'migration VERSION' or 'repeatable': mig_history records the script under it."),
    HEADER_POSITION("header-position", Severity.ERROR, "The header is not the first statement",
            "The header must come first so that every statement runs under the version it records."),
    HEADER_MISSING("header-missing", Severity.WARNING, "No migration header",
            "Without a header mig run cannot record the script as applied and runs it every time."),
    READONLY_WRITE("readonly-write", Severity.ERROR, "A statement writes to a readonly connection",
            "The connection was declared readonly; mig refuses writes to it at run time too."),
    READONLY_SQL("readonly-sql", Severity.WARNING, "Raw SQL on a readonly connection",
            "Only SQL that reads will succeed on a readonly connection."),
    REPLAY_NOT_FROZEN("replay-not-frozen", Severity.WARNING, "Replay of a table this script does not freeze",
            "replay applies the writes queued since a freeze; without one in this script it relies on an earlier run's."),
    ROLLBACK_MAP_TARGET("rollback-map-target", Severity.ERROR, "A rollback map writes part of a column",
            "on rollback map lines write whole legacy columns."),
    CUTOVER_CONNECTIONS("cutover-connections", Severity.ERROR, "Cutover across two connections",
            "cutover renames one table to the other's name, so both must be tables of one connection."),
    CUTOVER_WITHOUT_MAP("cutover-without-map", Severity.WARNING, "Cutover without a map earlier in the script",
            "cutover carries the queued writes through the map; without one here it uses the one recorded earlier."),
    REPLAY_WITHOUT_MAP("replay-without-map", Severity.WARNING, "Replay without a map earlier in the script",
            "replay applies queued writes through the map; without one here it uses the one recorded by an earlier run."),
    CONNECTION_DUPLICATE("connection-duplicate", Severity.ERROR, "A connection name declared twice",
            "Each connect declares a new name; a second declaration would hide the first."),
    CONNECTION_URL("connection-url", Severity.ERROR, "Not a JDBC URL",
            "A connection takes a jdbc:sqlite: or jdbc:postgresql: URL, or faiss:FOLDER (mem0's FAISS store, read only)."),
    PASSWORD_IN_SCRIPT("password-in-script", Severity.WARNING, "A password written in the script",
            "Read passwords from the environment (${PGPASSWORD}): scripts are reviewed, committed and shared."),
    AWS_KEY_IN_SCRIPT("aws-key-in-script", Severity.WARNING, "An AWS key written in a script",
            "Object storage credentials come from the standard AWS chain (environment, profile, instance role), never from a script."),
    CONNECTION_BEFORE_CONNECT("connection-before-connect", Severity.ERROR, "A connection used before its connect",
            "Statements run in order: connect the name before a statement uses it."),
    CONNECTION_UNKNOWN("connection-unknown", Severity.ERROR, "An unknown connection",
            "The name is not declared by any connect statement of the script."),
    MAP_TARGET_TWICE("map-target-twice", Severity.ERROR, "A map target written twice",
            "Two lines of one map write the same target: one would silently win."),
    MAP_STAR_ONE_SIDE("map-star-one-side", Severity.ERROR, "col.* on one side of a map line only",
            "col.* carries every key the map does not name: write it on both sides, e.g. payload.* -> payload.*."),
    MAP_KEY_NOT_TARGET("map-key-not-target", Severity.WARNING, "A map key that no line writes",
            "Rows are matched by a key the map does not write: they may never match."),
    FUNCTION_UNKNOWN("function-unknown", Severity.ERROR, "An unknown function", "The function is not one of mig's."),
    FUNCTION_ARITY("function-arity", Severity.ERROR, "A function called with the wrong number of arguments",
            "Each function takes the arguments its signature lists."),
    COUNT_PLACE("count-place", Severity.ERROR, "count(...) outside assert, or without a table",
            "count(conn.table [where cond]) counts rows and is allowed in assert only."),
    WHERE_PLACE("where-place", Severity.ERROR, "A where clause in a function other than count",
            "Only count(...) takes a where clause."),
    GROUP_PLACE("group-place", Severity.ERROR, "A group or policy function outside archive ... where",
            "any/every/max/min work over the rows of a group (archive conn.table by col where ...); first_seen_days() reads "
                    + "the registry a policy keeps (archive conn.table where ...)."),
    DESTRUCTIVE_UNGUARDED("destructive-unguarded", Severity.ERROR, "archive, purge or prune without a backup or checksum",
            "A statement that removes data needs an earlier backup of the table or a passing checksum after its last map "
                    + "(or force)."),
    DESTRUCTIVE_FORCED("destructive-forced", Severity.WARNING, "A destructive statement forced",
            "force removes the guard: nothing in the script proves the data is kept elsewhere."),
    RAW_SQL("raw-sql", Severity.WARNING, "Raw SQL",
            "mig cannot check, plan or roll back what raw SQL does: a reviewer must read it."),
    MAP_UNCHECKED("map-unchecked", Severity.WARNING, "A map nothing checks",
            "No checksum, sample or assert after the map checks what it wrote."),
    RUNS_CODE("runs-code", Severity.WARNING, "A test statement runs a command",
            "test runs an external command with the script's connection URLs in its environment: a reviewer must read it."),
    SETTING_UNKNOWN("setting-unknown", Severity.ERROR, "An unknown setting", "set takes one of mig's settings."),
    SETTING_VALUE("setting-value", Severity.ERROR, "A setting's value out of range", "Each setting takes the values it lists.");

    private final String id;
    private final Severity severity;
    private final String title;
    private final String description;

    Rule(String id, Severity severity, String title, String description) {
        this.id = id;
        this.severity = severity;
        this.title = title;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public static Rule byId(String id) {
        for (Rule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }
}
