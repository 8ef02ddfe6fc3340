package dev.mig.fmt;

import dev.mig.MigException;
import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.Lexeme;
import dev.mig.syntax.Names;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Script;
import dev.mig.syntax.Span;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rewrites a script in the canonical layout: one statement per line, lower-case keywords,
 * map blocks indented with their arrows aligned; comments and single blank lines are kept.
 * A statement with a comment inside an expression is kept as written rather than lose it.
 */
public final class Formatter {
    private final String source;
    private final int[] lineStarts;
    private final List<Lexeme> comments = new ArrayList<>();
    private final boolean[] commentUsed;

    private Formatter(String source) {
        this.source = source;
        this.lineStarts = lineStarts(source);
        for (Lexeme lexeme : Syntax.lex(source)) {
            if (lexeme.kind() == Lexeme.Kind.COMMENT) {
                comments.add(lexeme);
            }
        }
        this.commentUsed = new boolean[comments.size()];
    }

    /** A statement longer than this is laid out over lines where the language lets it. */
    private static final int LONG = 100;

    /** A long policy: its condition on a line of its own, in parentheses (a newline inside them does not end the statement). */
    private static List<String> policy(Stmt.Archive a) {
        String head = "archive " + a.table() + (a.by() == null ? "" : " by " + Names.quoteIfNeeded(a.by())) + " where (";
        String to = a.toFile() != null ? a.toFile().source() : a.toTable().source();
        return new ArrayList<>(List.of(head, "    " + Printer.expr(a.where()), "  ) to " + to + (a.force() ? " force" : "")));
    }

    /** The formatted text of a script; refuses a script with syntax errors. */
    public static String format(String file, String source) {
        ParseResult parsed = Syntax.parse(file, source);
        if (!parsed.ok()) {
            Diagnostic first = parsed.errors().get(0);
            throw new MigException("cannot format a script with errors: " + first.headline());
        }
        return new Formatter(source).format(parsed.script());
    }

    private String format(Script script) {
        List<String> out = new ArrayList<>();
        int previousEndLine = 0;
        for (Stmt stmt : script.statements()) {
            int startLine = stmt.span().line();
            previousEndLine = standaloneComments(out, previousEndLine, startLine, "");
            blankLineIfGap(out, previousEndLine, startLine);
            int endLine = lineOf(stmt.span().end() - 1);
            List<String> text = statement(stmt, startLine, endLine);
            String trailing = trailingComment(stmt.span().end(), endLine);
            if (trailing != null) {
                text.set(text.size() - 1, text.get(text.size() - 1) + "  " + trailing);
            }
            out.addAll(text);
            previousEndLine = endLine;
        }
        standaloneComments(out, previousEndLine, Integer.MAX_VALUE, "");
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    private List<String> statement(Stmt stmt, int startLine, int endLine) {
        if (stmt instanceof Stmt.MapTable map && map.lines().stream().allMatch(l -> singleLine(l.span()))) {
            return mapBlock(map, startLine, endLine);
        }
        if (hasCommentInside(stmt.span().start(), stmt.span().end())) {
            // A comment inside an expression has no canonical place: keep the statement as written.
            markCommentsInside(stmt.span().start(), stmt.span().end());
            return new ArrayList<>(Arrays.asList(source.substring(stmt.span().start(), stmt.span().end()).split("\n", -1)));
        }
        String printed = Printer.statement(stmt);
        if (stmt instanceof Stmt.Archive a && a.selective() && printed.length() > LONG) {
            return policy(a);
        }
        return new ArrayList<>(Arrays.asList(printed.split("\n", -1)));
    }

    private List<String> mapBlock(Stmt.MapTable map, int startLine, int endLine) {
        List<String> out = new ArrayList<>();
        String header = Printer.mapHeader(map);
        String headerComment = trailingCommentOnLine(startLine);
        out.add(headerComment == null ? header : header + "  " + headerComment);
        int width = Printer.sourceWidth(map.lines());
        int previous = startLine;
        for (Stmt.MapLine line : map.lines()) {
            int lineNo = line.span().line();
            previous = standaloneComments(out, previous, lineNo, "  ");
            blankLineIfGap(out, previous, lineNo);
            String text = "  " + Printer.mapLine(line, width);
            String trailing = trailingComment(line.span().end(), lineNo);
            out.add(trailing == null ? text : text + "  " + trailing);
            previous = lineNo;
        }
        standaloneComments(out, previous, endLine, "  ");
        out.add(Printer.mapFooter(map));
        return out;
    }

    /** Emits whole-line comments between two lines (exclusive); returns the last line emitted from. */
    private int standaloneComments(List<String> out, int afterLine, int beforeLine, String indent) {
        int last = afterLine;
        for (int i = 0; i < comments.size(); i++) {
            Lexeme c = comments.get(i);
            int line = c.span().line();
            if (!commentUsed[i] && line > afterLine && line < beforeLine && startsLine(c)) {
                blankLineIfGap(out, last, line);
                out.add(indent + c.text().stripTrailing());
                commentUsed[i] = true;
                last = line;
            }
        }
        return last;
    }

    private String trailingComment(int afterOffset, int line) {
        for (int i = 0; i < comments.size(); i++) {
            Lexeme c = comments.get(i);
            if (!commentUsed[i] && c.span().line() == line && c.span().start() >= afterOffset) {
                commentUsed[i] = true;
                return c.text().stripTrailing();
            }
        }
        return null;
    }

    private String trailingCommentOnLine(int line) {
        for (int i = 0; i < comments.size(); i++) {
            Lexeme c = comments.get(i);
            if (!commentUsed[i] && c.span().line() == line && !startsLine(c)) {
                commentUsed[i] = true;
                return c.text().stripTrailing();
            }
        }
        return null;
    }

    private boolean hasCommentInside(int start, int end) {
        for (int i = 0; i < comments.size(); i++) {
            if (!commentUsed[i] && comments.get(i).span().start() > start && comments.get(i).span().start() < end) {
                return true;
            }
        }
        return false;
    }

    private void markCommentsInside(int start, int end) {
        for (int i = 0; i < comments.size(); i++) {
            if (comments.get(i).span().start() > start && comments.get(i).span().start() < end) {
                commentUsed[i] = true;
            }
        }
    }

    private boolean singleLine(Span span) {
        return lineOf(span.end() - 1) == span.line() && !hasCommentInside(span.start(), span.end());
    }

    private static void blankLineIfGap(List<String> out, int previousLine, int nextLine) {
        if (previousLine > 0 && nextLine - previousLine > 1 && !out.isEmpty() && !out.get(out.size() - 1).isEmpty()) {
            out.add("");
        }
    }

    private boolean startsLine(Lexeme comment) {
        int lineStart = lineStarts[comment.span().line() - 1];
        return source.substring(lineStart, comment.span().start()).isBlank();
    }

    private int lineOf(int offset) {
        int index = Arrays.binarySearch(lineStarts, Math.max(0, offset));
        return index >= 0 ? index + 1 : -index - 1;
    }

    private static int[] lineStarts(String source) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
