package dev.mig.repl;

import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.JdbcUrls;
import dev.mig.db.TableInfo;
import dev.mig.mem0.Formats;
import dev.mig.run.session.TextTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The :commands of the REPL; any unique prefix of a name works. */
final class Commands {
    private final ReplCore core;

    Commands(ReplCore core) {
        this.core = core;
    }

    /** Runs a command line such as ":describe legacy.history"; returns false for :quit. */
    boolean run(String line) {
        String[] parts = line.substring(1).trim().split("\\s+", 2);
        String typed = parts[0].toLowerCase();
        String arg = parts.length > 1 ? parts[1].trim() : "";
        List<String> matches = new ArrayList<>();
        for (String name : Help.COMMANDS.keySet()) {
            if (name.equals(typed)) {
                matches = List.of(name);
                break;
            }
            if (!typed.isEmpty() && name.startsWith(typed)) {
                matches.add(name);
            }
        }
        ReplCore.IO io = core.io();
        if (matches.isEmpty()) {
            io.print("unknown command :" + typed + "; :help lists them");
            return true;
        }
        if (matches.size() > 1) {
            io.print(":" + typed + " is ambiguous: :" + String.join(", :", matches));
            return true;
        }
        switch (matches.get(0)) {
            case "help" -> help(arg);
            case "connections" -> connections();
            case "tables" -> tables(arg);
            case "expanded" -> {
                if (arg.equals("on") || arg.equals("off")) {
                    core.session().settings().expanded(arg.equals("on"));
                    io.print("expanded display is " + arg);
                } else {
                    io.print("expanded display is " + (core.session().settings().expanded() ? "on" : "off")
                            + "; :expanded on|off changes it");
                }
            }
            case "edit" -> edit(arg);
            case "describe" -> describe(arg);
            case "list" -> list();
            case "save" -> save(arg);
            case "load", "open" -> {
                if (arg.isEmpty()) {
                    io.print("usage: :load FILE");
                } else {
                    core.load(Path.of(unquote(arg)));
                }
            }
            case "plan" -> io.print(core.plan().stripTrailing());
            case "dry" -> {
                if (arg.equals("on") || arg.equals("off")) {
                    core.setDry(arg.equals("on"));
                } else {
                    io.print("dry-run mode is " + (core.dry() ? "on" : "off") + "; :dry on|off changes it");
                }
            }
            case "history" -> {
                List<String> lines = core.lines();
                for (int i = 0; i < lines.size(); i++) {
                    io.print(String.format("%4d  %s", i + 1, JdbcUrls.redactText(lines.get(i))));
                }
            }
            case "refresh" -> {
                core.session().connections().all().values().forEach(Database::schemaChanged);
                core.schemaRefreshed();
                io.print("table and column names will be read again");
            }
            case "reset" -> core.reset();
            case "quit" -> {
                return false;
            }
            default -> io.print("unknown command");
        }
        return true;
    }

    private static String unquote(String arg) {
        return arg.length() >= 2 && arg.startsWith("'") && arg.endsWith("'") ? arg.substring(1, arg.length() - 1) : arg;
    }

    private void help(String arg) {
        if (arg.isEmpty()) {
            core.io().print(Help.all());
            return;
        }
        String text = Help.statement(arg);
        core.io().print(text != null ? text : "no statement " + arg + "; :help lists them");
    }

    private void connections() {
        if (core.session().connections().all().isEmpty()) {
            core.io().print("no connections yet: connect NAME 'jdbc:...'");
            return;
        }
        TextTable table = new TextTable("name", "database", "url", "mode");
        for (Database db : core.session().connections().all().values()) {
            table.row(db.name(), db.kind(), db.redactedUrl(), db.readonly() ? "readonly" : db.dryRun() ? "dry run" : "");
        }
        table.lines("").forEach(core.io()::print);
    }

    private Database connection(String name) {
        Database db = core.session().connections().all().get(name);
        if (db == null) {
            core.io().print("no connection " + name + (core.session().connections().all().isEmpty() ? ""
                    : "; open: " + String.join(", ", core.session().connections().all().keySet())));
        }
        return db;
    }

    /** The one open connection, for commands whose connection may be left out; null (and a hint) otherwise. */
    private String onlyConnection(String usage) {
        var open = core.session().connections().all().keySet();
        if (open.size() == 1) {
            return open.iterator().next();
        }
        core.io().print(open.isEmpty() ? "no connection yet: connect NAME 'jdbc:...' first"
                : "usage: " + usage + " (open: " + String.join(", ", open) + ")");
        return null;
    }

    /**
     * :edit opens $VISUAL or $EDITOR (else vi) on the last statement, or on every statement of the session with
     * ":edit session"; what is saved then runs. An editor that exits with an error runs nothing.
     */
    private void edit(String arg) {
        List<String> entered = core.entered();
        String text = arg.equals("session") ? String.join("\n", entered) : entered.isEmpty() ? "" : entered.get(entered.size() - 1);
        var env = core.session().options().environment();
        String editor = env.getOrDefault("VISUAL", env.getOrDefault("EDITOR", "vi"));
        try {
            Path file = Files.createTempFile("mig-edit-", ".mig");
            try {
                Files.writeString(file, text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
                if (!core.io().edit(editor, file)) {
                    core.io().print("the editor (" + editor + ") exited with an error; nothing was run");
                    return;
                }
                String edited = Files.readString(file);
                if (edited.isBlank()) {
                    core.io().print("nothing to run");
                    return;
                }
                for (String line : edited.split("\n", -1)) {
                    core.accept(line);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            core.io().print("cannot edit: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tables(String arg) {
        if (arg.isEmpty()) {
            arg = onlyConnection(":tables CONN");
            if (arg == null) {
                return;
            }
        }
        Database db = connection(arg);
        if (db == null) {
            return;
        }
        TextTable table = new TextTable("table", "rows", "mem0 format");
        for (String name : db.tables()) {
            TableInfo info = db.describe(name);
            table.row(name, Long.toString(count(db, name)), info == null ? "-" : Formats.recognise(info));
        }
        table.lines("").forEach(core.io()::print);
    }

    private void describe(String arg) {
        int dot = arg.indexOf('.');
        if (dot < 0 && !arg.isEmpty() && core.session().connections().all().size() == 1) {
            arg = core.session().connections().all().keySet().iterator().next() + "." + arg; // the only connection
            dot = arg.indexOf('.');
        }
        if (dot < 0) {
            core.io().print("usage: :describe CONN.TABLE (or TABLE with one connection open)");
            return;
        }
        Database db = connection(arg.substring(0, dot));
        if (db == null) {
            return;
        }
        String tableName = arg.substring(dot + 1).replace("\"", "");
        TableInfo info = db.describe(tableName);
        if (info == null) {
            core.io().print("no table " + tableName + " on " + db.name());
            return;
        }
        TextTable table = new TextTable("column", "type", "kind", "key");
        for (Column c : info.columns()) {
            table.row(c.name(), c.declaredType().isEmpty() ? "(any)" : c.declaredType(), c.type().name().toLowerCase(),
                    c.pkPosition() > 0 ? "pk" : "");
        }
        table.lines("").forEach(core.io()::print);
        core.io().print(count(db, tableName) + " rows; mem0 format: " + Formats.recognise(info));
    }

    private long count(Database db, String table) {
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT count(*) FROM " + db.dialect().table(table));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        } finally {
            db.commit();
        }
    }

    private void list() {
        List<String> entered = core.entered();
        if (entered.isEmpty()) {
            core.io().print("no statements have run yet");
        }
        for (int i = 0; i < entered.size(); i++) {
            String[] lines = JdbcUrls.redactText(entered.get(i)).split("\n");
            core.io().print(String.format("%4d  %s", i + 1, lines[0]));
            for (int j = 1; j < lines.length; j++) {
                core.io().print("      " + lines[j]);
            }
        }
    }

    private void save(String arg) {
        String[] parts = arg.split("\\s+", 2);
        if (arg.isEmpty()) {
            core.io().print("usage: :save FILE [VERSION]");
            return;
        }
        Path file = Path.of(unquote(parts[0]));
        String version = parts.length > 1 ? parts[1].trim() : "1";
        if (!version.matches("\\d+(\\.\\d+)*")) {
            core.io().print("a version is a number such as 3 or 1.2");
            return;
        }
        String text = core.script(version, "saved from mig repl on " + LocalDate.now());
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            core.io().print("error: cannot write " + file + ": " + e.getMessage());
            return;
        }
        core.io().print("saved " + core.entered().size() + " statements to " + file + " as migration " + version
                + "; review it with mig plan, apply it with mig run");
    }
}
