package dev.mig.repl;

import dev.mig.syntax.Setting;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every text the REPL shows about itself, in one place. */
final class Help {
    static final String WELCOME = "mig repl — statements run as you enter them. :help lists commands, Tab completes, "
            + "Ctrl-D leaves.";

    static final Map<String, String> COMMANDS = new LinkedHashMap<>();
    static final Map<String, String> STATEMENTS = new LinkedHashMap<>();

    static {
        COMMANDS.put("help", ":help [statement]      this list, or how to write a statement");
        COMMANDS.put("connections", ":connections           the open connections");
        COMMANDS.put("tables", ":tables [CONN]         the tables of a connection (the only one if left out), rows, mem0 format");
        COMMANDS.put("describe", ":describe [CONN.]TABLE the columns of a table");
        COMMANDS.put("expanded", ":expanded on|off       rows shown one block per row (psql's \\x), for wide rows");
        COMMANDS.put("edit", ":edit [session]        $EDITOR on the last statement (or the session); what is saved runs");
        COMMANDS.put("list", ":list                  the statements that ran, numbered");
        COMMANDS.put("save", ":save FILE [VERSION]   write them as a versioned script for mig run");
        COMMANDS.put("load", ":load FILE             run the statements of a script");
        COMMANDS.put("open", ":open FILE             the same as :load");
        COMMANDS.put("plan", ":plan                  what the statements so far do, as mig plan prints it");
        COMMANDS.put("dry", ":dry on|off            dry-run mode: nothing that follows is kept");
        COMMANDS.put("history", ":history               the lines entered in this session");
        COMMANDS.put("refresh", ":refresh               re-read table and column names for completion");
        COMMANDS.put("reset", ":reset                 close every connection and forget the statements");
        COMMANDS.put("quit", ":quit                  leave (so does Ctrl-D)");

        STATEMENTS.put("migration", "migration 3 'what it does'          header of a versioned script");
        STATEMENTS.put("test", "test 'pytest tests/memory' [timeout 600]   the application's tests; a pass guards what follows");
        STATEMENTS.put("repeatable", "repeatable 'what it does'          header of a script that runs on every mig run");
        STATEMENTS.put("connect", "connect legacy 'jdbc:sqlite:history.db' [readonly]\n"
                + "    connect pg 'jdbc:postgresql://host/db?user=u&password=${PGPASSWORD}'");
        STATEMENTS.put("inventory", "inventory legacy | inventory legacy.history   tables, columns, rows, mem0 formats");
        STATEMENTS.put("diff", "diff legacy.history new.history [to 'review.md']   schema review");
        STATEMENTS.put("sql", "sql new '''CREATE TABLE ...'''      raw SQL on one connection");
        STATEMENTS.put("backup", "backup legacy.history to 'backups/history.jsonl.gz'   rows + manifest");
        STATEMENTS.put("restore", "restore legacy.history from 'backups/history.jsonl.gz'   verified, exact");
        STATEMENTS.put("freeze", "freeze legacy.history      capture writes in mig_queue (unfreeze removes it)");
        STATEMENTS.put("unfreeze", "unfreeze legacy.history    remove the capture triggers");
        STATEMENTS.put("map", "map legacy.history -> new.history key id {\n"
                + "      prev_value     -> old_memory\n"
                + "      utc(timestamp) -> created_at\n"
                + "      is_deleted     -> is_deleted as bool default false\n"
                + "    } where event is not null\n"
                + "    map legacy.history.prev_value -> new.history.old_memory");
        STATEMENTS.put("replay", "replay legacy.history -> new.history   apply the writes queued since freeze");
        STATEMENTS.put("checksum", "checksum legacy.history | checksum legacy.history -> new.history [allow N]");
        STATEMENTS.put("sample", "sample 20 legacy.history -> new.history [seed 7] [to 'review.md']");
        STATEMENTS.put("assert", "assert count(new.history) = count(legacy.history)\n"
                + "    assert none new.history where created_at is null");
        STATEMENTS.put("archive", "archive legacy.history to 'archive.jsonl.gz' | to legacy.history_archive [force]\n"
                + "    archive mem0.history by memory_id where any(event = 'DELETE' and age_days(updated_at) > 90) to 'a.jsonl.gz'"
                + "   a retention policy");
        STATEMENTS.put("purge", "purge legacy.messages [if exists] [where role = 'system'] [force]   delete, reclaim storage");
        STATEMENTS.put("backups", "backups of pg.mem0 where payload.user_id = 'alice' [rewrite]   which backups hold such rows; "
                + "rewrite them without");
        STATEMENTS.put("receipt", "receipt to 'receipt.json'   counts and digests of what this run removed, no content");
        STATEMENTS.put("cutover", "cutover legacy.history -> legacy.history_g2 [force]   (replay, unfreeze, drop, rename: one transaction)");
        STATEMENTS.put("on", "on rollback map legacy.history_g2 -> legacy.history { lower(event) -> event }   how a rollback carries rows back");
        STATEMENTS.put("prune", "prune legacy.history | legacy.history.col | legacy.history.col.jsonkey [force]");
        STATEMENTS.put("rollback", "rollback     restore this session's backups, re-apply queued writes");
        STATEMENTS.put("set", String.join(" | ", Arrays.stream(Setting.values()).map(Setting::example).toList()));
    }

    private Help() {
    }

    static String all() {
        StringBuilder out = new StringBuilder("Commands (any unique prefix works, e.g. :d for :describe is ambiguous, :des is not):\n");
        COMMANDS.values().forEach(line -> out.append("  ").append(line).append('\n'));
        out.append("Statements (:help NAME for an example): ").append(String.join(", ", STATEMENTS.keySet())).append('\n');
        out.append("A statement runs when it is complete; inside { }, a '''string''' or after -> the next line continues it.");
        return out.toString();
    }

    static String statement(String name) {
        String text = STATEMENTS.get(name.toLowerCase());
        return text == null ? null : "  " + text;
    }
}
