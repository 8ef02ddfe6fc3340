package dev.mig.check;

import dev.mig.syntax.Stmt;
import java.util.Map;

/** The names and value rules of {@code set}. */
public final class SettingRules {
    /** name -> description of the value it takes. */
    public static final Map<String, String> KNOWN = Map.of(
            "batch", "rows per chunk commit (a whole number, 1 or more)",
            "parallel", "workers for key-range chunks (1 to 64, or auto: the default)",
            "state", "the connection that keeps mig_history, mig_audit, mig_queue and mig_progress",
            "rejects", "the file rejected rows are written to ('path')",
            "audit", "the JSON-lines audit file ('path')",
            "fetch", "rows fetched per round trip when reading (a whole number)",
            "pushdown", "on (default) or off: whether a map within one database may run as set-based SQL",
            "rows", "rows a query or a one-table sample shows (a whole number, default 50)",
            "reconnect", "seconds to keep reconnecting a lost PostgreSQL connection (0 to 86400, default 120; 0: fail at once)");

    private SettingRules() {
    }

    static void check(Stmt.Set s, Linter linter) {
        String rule = KNOWN.get(s.name());
        if (rule == null) {
            linter.error(Rule.SETTING_UNKNOWN, s.span(), "unknown setting '" + s.name() + "'; settings are " + String.join(", ",
                    KNOWN.keySet().stream().sorted().toList()));
            return;
        }
        switch (s.name()) {
            case "reconnect" -> {
                if (!s.value().matches("[0-9]{1,5}") || Integer.parseInt(s.value()) > 86_400) {
                    linter.error(Rule.SETTING_VALUE, s.span(), "reconnect takes " + rule);
                }
            }
            case "batch", "fetch", "rows" -> {
                if (!s.value().matches("[1-9][0-9]{0,8}")) {
                    linter.error(Rule.SETTING_VALUE, s.span(), s.name() + " takes " + rule);
                }
            }
            case "parallel" -> {
                if (!s.value().equalsIgnoreCase("auto") && (!s.value().matches("[0-9]{1,2}") || Integer.parseInt(s.value()) < 1
                        || Integer.parseInt(s.value()) > 64)) {
                    linter.error(Rule.SETTING_VALUE, s.span(), "parallel takes " + rule);
                }
            }
            case "state" -> linter.connection(s.value(), s.span());
            case "pushdown" -> {
                if (s.quoted() || !s.value().matches("(?i)on|off")) {
                    linter.error(Rule.SETTING_VALUE, s.span(), "pushdown takes on or off");
                }
            }
            default -> {
                if (!s.quoted()) {
                    linter.error(Rule.SETTING_VALUE, s.span(), s.name() + " takes a quoted path: set " + s.name() + " 'file'");
                }
            }
        }
    }
}
