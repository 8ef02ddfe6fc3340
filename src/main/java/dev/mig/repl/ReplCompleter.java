package dev.mig.repl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Builtin;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.syntax.Lexeme;
import dev.mig.syntax.Names;
import dev.mig.syntax.Setting;
import dev.mig.syntax.Syntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Tab completion from what the session knows: statement keywords where a statement starts,
 * connection names, the tables of a connection after {@code conn.}, the columns after
 * {@code conn.table.} and inside map blocks (source columns left of {@code ->}, target columns right
 * of it), JSON keys seen in a sample of a JSON column after {@code payload.}, function names, and
 * file paths inside {@code to '...'} / {@code from '...'}. Table lists and JSON keys are cached until
 * :refresh.
 */
public final class ReplCompleter {
    /** What to complete: the word before the cursor and the replacements for it. */
    public record Completion(String word, List<String> candidates) {
    }

    private static final List<String> STATEMENTS = List.of("migration", "repeatable", "test", "connect", "inventory", "diff", "sql", "backup",
            "restore", "freeze", "unfreeze", "map", "replay", "checksum", "sample", "assert", "archive", "purge", "prune", "cutover",
            "rollback", "set", "backups", "receipt");
    private static final List<String> EXPRESSION_WORDS = List.of("case", "when", "then", "else", "end", "null", "true", "false",
            "and", "or", "not", "is", "in", "as", "select", "from", "where");
    private static final int JSON_SAMPLE = 200;

    private final ReplCore core;
    private final Map<String, List<String>> tables = new HashMap<>();
    private final Map<String, List<String>> jsonKeys = new HashMap<>();

    ReplCompleter(ReplCore core) {
        this.core = core;
    }

    void clear() {
        tables.clear();
        jsonKeys.clear();
    }

    public Completion complete(String buffer, int cursor) {
        String before = buffer.substring(0, cursor);
        List<Lexeme> lexemes = Syntax.lex(before);
        Lexeme last = lexemes.isEmpty() ? null : lexemes.get(lexemes.size() - 1);
        if (last != null && last.kind() == Lexeme.Kind.UNTERMINATED && last.text().startsWith("'")) {
            String partial = last.text().startsWith("'''") ? last.text().substring(3) : last.text().substring(1);
            return new Completion(partial, paths(partial));
        }
        String word = currentWord(before);
        List<Lexeme> statement = currentStatement(lexemes, word);
        List<Lexeme> significant = statement.stream().filter(l -> l.kind() != Lexeme.Kind.SPACE
                && l.kind() != Lexeme.Kind.COMMENT && l.kind() != Lexeme.Kind.NEWLINE).toList();
        if (word.startsWith(":") && before.trim().equals(word)) {
            return new Completion(word, prefixed(Help.COMMANDS.keySet().stream().map(c -> ":" + c).toList(), word));
        }
        if (significant.isEmpty() && !word.contains(".")) {
            List<String> out = new ArrayList<>(prefixed(STATEMENTS.stream().sorted().toList(), word));
            if (word.isEmpty() && before.isBlank()) {
                Help.COMMANDS.keySet().forEach(c -> out.add(":" + c));
            }
            return new Completion(word, out);
        }
        MapContext map = mapContext(significant, onCurrentLineAfterArrow(statement));
        int dot = word.lastIndexOf('.');
        if (dot >= 0) {
            return new Completion(word, dotted(word.substring(0, dot), word.substring(dot + 1), map));
        }
        TreeSet<String> out = new TreeSet<>();
        if (map != null) {
            TableInfo side = map.targetSide ? map.target : map.source;
            if (side != null) {
                side.columns().forEach(c -> out.add(c.name()));
            }
            if (!map.targetSide) {
                Arrays.stream(Builtin.values()).map(Builtin::id).forEach(out::add);
                out.addAll(EXPRESSION_WORDS);
            } else {
                out.addAll(List.of("as", "default"));
            }
            return new Completion(word, prefixed(new ArrayList<>(out), word));
        }
        String first = significant.get(0).text().toLowerCase(Locale.ROOT);
        if (first.equals("set") && significant.size() == 1) {
            return new Completion(word, prefixed(Setting.names(), word));
        }
        if (!(first.equals("connect") && significant.size() == 1)) {
            out.addAll(core.session().connections().all().keySet());
        }
        if (first.equals("assert") || first.equals("purge") || first.equals("sample") || first.equals("map")) {
            Arrays.stream(Builtin.values()).map(Builtin::id).forEach(out::add);
        }
        out.addAll(List.of("to", "from", "key", "where", "allow", "seed", "none", "force", "readonly"));
        return new Completion(word, prefixed(new ArrayList<>(out), word));
    }

    /** Completions of "a.b.partial": tables, columns or JSON keys, each as the whole dotted word. */
    private List<String> dotted(String prefix, String partial, MapContext map) {
        String[] parts = prefix.split("\\.");
        List<String> names = new ArrayList<>();
        Database db = core.session().connections().all().get(parts[0]);
        if (db != null && parts.length == 1) {
            names = tablesOf(db);
        } else if (db != null && parts.length == 2) {
            TableInfo table = db.describe(parts[1]);
            if (table != null) {
                names = table.columnNames();
            }
        } else if (db != null) {
            TableInfo table = db.describe(parts[1]);
            Column column = table == null ? null : table.column(parts[2]);
            if (column != null) {
                names = keys(db, table, column, List.of(parts).subList(3, parts.length));
            }
        } else if (map != null) {
            TableInfo side = map.targetSide ? map.target : map.source;
            Database sideDb = map.targetSide ? map.targetDb : map.sourceDb;
            Column column = side == null ? null : side.column(parts[0]);
            if (column != null) {
                names = keys(sideDb, side, column, List.of(parts).subList(1, parts.length));
                names = new ArrayList<>(names);
                names.add("*");
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).startsWith(partial.toLowerCase(Locale.ROOT))) {
                out.add(prefix + "." + Names.quoteIfNeeded(name).replace("\"*\"", "*"));
            }
        }
        return out;
    }

    private List<String> tablesOf(Database db) {
        return tables.computeIfAbsent(db.name(), name -> db.tables());
    }

    /** Keys seen at a path in a sample of a JSON column (objects in the first rows). */
    private List<String> keys(Database db, TableInfo table, Column column, List<String> path) {
        String cacheKey = db.name() + "." + table.name() + "." + column.name() + "." + String.join(".", path);
        return jsonKeys.computeIfAbsent(cacheKey, k -> {
            TreeSet<String> keys = new TreeSet<>();
            String sql = "SELECT " + db.dialect().asText(db.dialect().quote(column.name())) + " FROM " + db.dialect().table(table.name())
                    + " LIMIT " + JSON_SAMPLE;
            try (PreparedStatement ps = db.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String text = rs.getString(1);
                    if (text == null) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = Values.parseJson(text);
                    } catch (RuntimeException notJson) {
                        continue;
                    }
                    for (String step : path) {
                        node = node == null ? null : node.get(step);
                    }
                    if (node != null && node.isObject()) {
                        node.fieldNames().forEachRemaining(keys::add);
                    }
                }
            } catch (SQLException e) {
                return List.of();
            } finally {
                db.commit();
            }
            return new ArrayList<>(keys);
        });
    }

    /** The map statement being typed, when the cursor is inside its block. */
    private record MapContext(TableInfo source, TableInfo target, Database sourceDb, Database targetDb, boolean targetSide) {
    }

    /** True when the cursor is right of '->' on its line (or the line before ends in '->'). */
    private static boolean onCurrentLineAfterArrow(List<Lexeme> statement) {
        for (int i = statement.size() - 1; i >= 0; i--) {
            Lexeme l = statement.get(i);
            if (l.text().equals("->")) {
                return true;
            }
            if (l.kind() == Lexeme.Kind.NEWLINE) {
                for (int j = i - 1; j >= 0; j--) {
                    Lexeme before = statement.get(j);
                    if (before.kind() != Lexeme.Kind.SPACE && before.kind() != Lexeme.Kind.COMMENT) {
                        return before.text().equals("->");
                    }
                }
                return false;
            }
        }
        return false;
    }

    private MapContext mapContext(List<Lexeme> significant, boolean targetSide) {
        if (significant.isEmpty() || !significant.get(0).text().equalsIgnoreCase("map")) {
            return null;
        }
        int brace = -1;
        for (int i = 0; i < significant.size(); i++) {
            if (significant.get(i).text().equals("{")) {
                brace = i;
            } else if (significant.get(i).text().equals("}")) {
                return null;
            }
        }
        if (brace < 0) {
            return null;
        }
        List<String> refs = new ArrayList<>();
        StringBuilder ref = new StringBuilder();
        for (int i = 1; i < brace; i++) {
            String t = significant.get(i).text();
            if (t.equals("->") || t.equalsIgnoreCase("key")) {
                refs.add(ref.toString());
                ref.setLength(0);
                if (t.equalsIgnoreCase("key")) {
                    break;
                }
            } else {
                ref.append(t);
            }
        }
        if (ref.length() > 0) {
            refs.add(ref.toString());
        }
        Database[] dbs = new Database[2];
        TableInfo[] infos = new TableInfo[2];
        for (int i = 0; i < Math.min(2, refs.size()); i++) {
            String[] parts = refs.get(i).split("\\.", 2);
            if (parts.length == 2) {
                dbs[i] = core.session().connections().all().get(parts[0]);
                infos[i] = dbs[i] == null ? null : dbs[i].describe(parts[1].replace("\"", ""));
            }
        }
        return new MapContext(infos[0], infos[1], dbs[0], dbs[1], targetSide);
    }

    /** The lexemes of the statement the cursor is in (from the last separator outside braces), without the word. */
    private static List<Lexeme> currentStatement(List<Lexeme> lexemes, String word) {
        List<Lexeme> all = new ArrayList<>(lexemes);
        int cut = 0;
        int removed = 0;
        for (int i = all.size() - 1; i >= 0 && removed < word.length(); i--) {
            removed += all.get(i).text().length();
            cut++;
        }
        List<Lexeme> tokens = all.subList(0, all.size() - cut);
        int depth = 0;
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i).text();
            if (t.equals("{")) {
                depth++;
            } else if (t.equals("}")) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && (t.equals(";") || tokens.get(i).kind() == Lexeme.Kind.NEWLINE && !continues(tokens, i))) {
                start = i + 1;
            }
        }
        return tokens.subList(start, tokens.size());
    }

    /** A newline after '->' or an operator does not end a statement. */
    private static boolean continues(List<Lexeme> tokens, int newline) {
        for (int i = newline - 1; i >= 0; i--) {
            Lexeme l = tokens.get(i);
            if (l.kind() == Lexeme.Kind.SPACE || l.kind() == Lexeme.Kind.COMMENT) {
                continue;
            }
            return l.kind() == Lexeme.Kind.OPERATOR && !l.text().equals("*") && !l.text().equals(")")
                    && !l.text().equals("}") || l.text().equalsIgnoreCase("where") || l.text().equalsIgnoreCase("and")
                    || l.text().equalsIgnoreCase("or");
        }
        return false;
    }

    /** The dotted name (or :command) just before the cursor. */
    static String currentWord(String before) {
        int i = before.length();
        while (i > 0) {
            char c = before.charAt(i - 1);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '*' || c == '"' || c == ':') {
                i--;
            } else {
                break;
            }
        }
        return before.substring(i);
    }

    private static List<String> prefixed(List<String> names, String word) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).startsWith(word.toLowerCase(Locale.ROOT))) {
                out.add(name);
            }
        }
        return out;
    }

    private List<String> paths(String partial) {
        Path typed = Path.of(partial.isEmpty() ? "." : partial);
        boolean dirOnly = partial.isEmpty() || partial.endsWith("/");
        Path dir = dirOnly ? typed : typed.getParent() == null ? Path.of(".") : typed.getParent();
        String name = dirOnly ? "" : typed.getFileName().toString();
        Path base = dir.isAbsolute() ? dir : core.session().options().baseDir().resolve(dir);
        List<String> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(base)) {
            for (Path p : entries.sorted().toList()) {
                String file = p.getFileName().toString();
                if (file.startsWith(name)) {
                    String prefix = dirOnly ? partial : partial.substring(0, partial.length() - name.length());
                    out.add(prefix + file + (Files.isDirectory(p) ? "/" : ""));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }
}
