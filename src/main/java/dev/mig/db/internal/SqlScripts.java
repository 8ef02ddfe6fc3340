package dev.mig.db.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits an SQL script into statements at ';' outside quotes and comments, keeping a trigger's
 * BEGIN ... END body whole. Needed for SQLite, whose driver runs one statement per call.
 */
public final class SqlScripts {
    private SqlScripts() {
    }

    public static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0; // BEGIN ... END nesting inside CREATE TRIGGER
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int end = i + 1;
                while (end < sql.length()) {
                    if (sql.charAt(end) == close) {
                        if (close != ']' && end + 1 < sql.length() && sql.charAt(end + 1) == close) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, sql.length());
                current.append(sql, i, end);
                i = end;
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                current.append(sql, i, end);
                i = end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                current.append(sql, i, end);
                i = end;
            } else if (Character.isLetter(c)) {
                int end = i;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                String word = sql.substring(i, end).toUpperCase(Locale.ROOT);
                if (word.equals("BEGIN") && isTrigger(current)) {
                    depth++;
                } else if ((word.equals("END")) && depth > 0) {
                    depth--;
                } else if (word.equals("CASE") && depth > 0) {
                    depth++;
                }
                current.append(sql, i, end);
                i = end;
            } else if (c == ';' && depth == 0) {
                add(out, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(out, current);
        return out;
    }

    private static boolean isTrigger(StringBuilder statement) {
        String head = statement.toString().trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        return head.startsWith("CREATE TRIGGER") || head.startsWith("CREATE TEMP TRIGGER")
                || head.startsWith("CREATE TEMPORARY TRIGGER");
    }

    private static void add(List<String> out, StringBuilder statement) {
        String text = statement.toString();
        if (!text.replaceAll("(?s)--[^\n]*|/\\*.*?\\*/", "").isBlank()) {
            out.add(text.trim());
        }
    }
}
