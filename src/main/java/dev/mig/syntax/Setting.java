package dev.mig.syntax;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every name {@code set} takes, with the values it accepts: the one list that the linter, the runner, the
 * REPL's completion and help, and docs/language.md's table (checked by a test) read.
 */
public enum Setting {
    BATCH("batch", Kind.COUNT, 1, 1_000_000_000, "rows per chunk commit (a whole number from 1, default 5000)", "set batch 5000"),
    FETCH("fetch", Kind.COUNT, 1, 1_000_000_000, "rows fetched per round trip when reading (a whole number from 1)", "set fetch 10000"),
    PARALLEL("parallel", Kind.COUNT_OR_AUTO, 1, 64, "workers for key-range chunks (1 to 64, or auto: the default)", "set parallel 4"),
    PUSHDOWN("pushdown", Kind.ON_OFF, 0, 0, "on (default) or off: whether a map within one database may run as set-based SQL",
            "set pushdown off"),
    STATE("state", Kind.CONNECTION, 0, 0, "the connection that keeps mig_history, mig_audit, mig_queue and mig_progress",
            "set state new"),
    REJECTS("rejects", Kind.PATH, 0, 0, "the file rejected rows are written to ('path')", "set rejects 'out/rejects.jsonl'"),
    AUDIT("audit", Kind.PATH, 0, 0, "the JSON-lines audit file ('path')", "set audit 'out/audit.jsonl'"),
    ROWS("rows", Kind.COUNT, 1, 1_000_000, "rows a query or a one-table sample shows (1 to 1000000, default 50)", "set rows 20"),
    RECONNECT("reconnect", Kind.COUNT, 0, 86_400,
            "seconds to keep reconnecting a lost PostgreSQL connection (0 to 86400, default 120; 0: fail at once)", "set reconnect 300");

    /** The shape of the value a setting takes. */
    public enum Kind { COUNT, COUNT_OR_AUTO, ON_OFF, CONNECTION, PATH }

    /** parallel's value for "auto". */
    public static final int AUTO = 0;

    private final String word;
    private final Kind kind;
    private final int min;
    private final int max;
    private final String description;
    private final String example;

    Setting(String word, Kind kind, int min, int max, String description, String example) {
        this.word = word;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.description = description;
        this.example = example;
    }

    public String word() {
        return word;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    public String example() {
        return example;
    }

    public static Optional<Setting> named(String name) {
        return Arrays.stream(values()).filter(s -> s.word.equals(name)).findFirst();
    }

    /** Every name, sorted. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Setting::word).sorted().toList();
    }

    /** Why {@code value} (as written, {@code quoted} or not) is not a value of this setting, or null when it is. */
    public String problem(String value, boolean quoted) {
        return switch (kind) {
            case COUNT, COUNT_OR_AUTO -> number(value) != null ? null : word + " takes " + description;
            case ON_OFF -> !quoted && onOff(value) != null ? null : word + " takes on or off";
            case PATH -> quoted ? null : word + " takes a quoted path: set " + word + " 'file'";
            case CONNECTION -> null; // the linter checks the connection is declared
        };
    }

    /** The number a COUNT or COUNT_OR_AUTO value stands for (AUTO for auto), or null when it is not one in range. */
    public Integer number(String value) {
        if (kind == Kind.COUNT_OR_AUTO && value.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        if (!value.matches("[0-9]{1,10}")) {
            return null;
        }
        long n = Long.parseLong(value);
        return n >= min && n <= max ? (int) n : null;
    }

    /** on -> true, off -> false (any case), anything else null. */
    public static Boolean onOff(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> null;
        };
    }
}
