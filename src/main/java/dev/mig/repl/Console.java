package dev.mig.repl;

import dev.mig.resolve.RunOptions;
import dev.mig.run.session.ProgressListener;
import dev.mig.run.session.ProgressText;
import dev.mig.syntax.Lexeme;
import dev.mig.syntax.Syntax;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** The REPL on a terminal, through JLine: multi-line entry, completion, highlighting, history, Ctrl-C. */
public final class Console {
    private Console() {
    }

    /** Runs the REPL on a JLine terminal until :quit or Ctrl-D. */
    public static void run(Terminal terminal, RunOptions options, Path historyFile, List<Path> scripts) {
        ReplCore core = new ReplCore(new ReplCore.IO() {
            @Override
            public void print(String text) {
                terminal.writer().println(text);
                terminal.writer().flush();
            }

            @Override
            public boolean edit(String editor, Path file) throws IOException, InterruptedException {
                terminal.pause(); // the editor owns the terminal until it exits
                try {
                    Process p = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "sh", file.toString()).inheritIO().start();
                    return p.waitFor() == 0;
                } finally {
                    terminal.resume();
                }
            }

            @Override
            public int width() {
                return terminal.getWidth();
            }
        }, options);
        core.progress(new TerminalProgress(terminal));
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("mig")
                .parser(new MigParser(core)).completer(new MigCompleter(core)).highlighter(new MigHighlighter())
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "...> ")
                .variable(LineReader.INDENTATION, 2)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!=' is an operator, not history
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.INSERT_BRACKET, false);
        builder.history(new SecretFreeHistory());
        if (historyFile != null) {
            try {
                SecretFreeHistory.prepare(historyFile);
            } catch (IOException e) {
                terminal.writer().println("history file " + historyFile + ": " + e.getMessage() + " (history not kept)");
            }
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        terminal.writer().println(Help.WELCOME);
        terminal.writer().flush();
        for (Path script : scripts) {
            core.accept(":load " + script);
        }
        try {
            while (true) {
                String text;
                try {
                    text = reader.readLine(core.prompt());
                } catch (UserInterruptException e) {
                    core.discardInput(); // Ctrl-C drops the line being typed
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> core.cancel());
                boolean more;
                try {
                    more = core.accept(text);
                } finally {
                    terminal.handle(Terminal.Signal.INT, previous);
                }
                if (!more) {
                    break;
                }
            }
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException ignored) {
                // history is a convenience
            }
            core.close();
        }
    }

    /** Without a terminal (mig repl < file): plain lines, no prompts, no escape codes. */
    public static void runPlain(InputStream in, PrintStream out, RunOptions options, List<Path> scripts) throws IOException {
        ReplCore core = new ReplCore(text -> {
            out.println(text);
            out.flush();
        }, options);
        core.progress(ProgressListener.plain(text -> {
            out.println(text);
            out.flush();
        }, 5_000));
        for (Path script : scripts) {
            core.accept(":load " + script);
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!core.accept(line)) {
                    break;
                }
            }
        } finally {
            core.close();
        }
    }

    /** A progress bar redrawn in place (carriage return), at most five times a second, erased at the end. */
    static final class TerminalProgress implements ProgressListener {
        private final Terminal terminal;
        private long started;
        private long last;
        private boolean shown;

        TerminalProgress(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public void update(String what, long done, long total) {
            long now = System.currentTimeMillis();
            if (started == 0) {
                started = now;
            }
            if (now - last < 200 || now - started < 500) {
                return; // short statements show no bar
            }
            last = now;
            int width = Math.max(40, terminal.getWidth());
            terminal.writer().print("\r" + ProgressText.bar(what, done, total, now - started, width - 1));
            terminal.writer().flush();
            shown = true;
        }

        @Override
        public void finish() {
            if (shown) {
                terminal.writer().print("\r" + " ".repeat(Math.max(0, terminal.getWidth() - 1)) + "\r");
                terminal.writer().flush();
            }
            started = 0;
            last = 0;
            shown = false;
        }
    }

    /** Tells JLine when the input is not a whole statement yet, and which word is being completed. */
    static final class MigParser implements Parser {
        private final ReplCore core;

        MigParser(ReplCore core) {
            this.core = core;
        }

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && ReplCore.incomplete(line)) {
                throw new EOFError(-1, cursor, "the statement goes on");
            }
            String word = context == ParseContext.COMPLETE ? core.completer().complete(line, cursor).word()
                    : ReplCompleter.currentWord(line.substring(0, Math.min(cursor, line.length())));
            return new Line(line, cursor, word);
        }

        @Override
        public boolean isEscapeChar(char ch) {
            return false;
        }
    }

    private record Line(String line, int cursor, String word) implements CompletingParsedLine {
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate; // names are completed as they are written
        }

        @Override
        public int rawWordCursor() {
            return word.length();
        }

        @Override
        public int rawWordLength() {
            return word.length();
        }

        @Override
        public int wordCursor() {
            return word.length();
        }

        @Override
        public int wordIndex() {
            return 0;
        }

        @Override
        public List<String> words() {
            return List.of(word);
        }
    }

    static final class MigCompleter implements Completer {
        private final ReplCore core;

        MigCompleter(ReplCore core) {
            this.core = core;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            for (String value : core.completer().complete(line.line(), line.cursor()).candidates()) {
                boolean done = !(value.endsWith("/") || value.endsWith("."));
                candidates.add(new Candidate(value, value, null, null, null, null, done && !inString(line)));
            }
        }

        private static boolean inString(ParsedLine line) {
            List<Lexeme> lexemes = Syntax.lex(line.line().substring(0, line.cursor()));
            return !lexemes.isEmpty() && lexemes.get(lexemes.size() - 1).kind() == Lexeme.Kind.UNTERMINATED;
        }
    }

    /** Colours from the same lexer the parser uses; never fails, whatever is typed. */
    static final class MigHighlighter implements Highlighter {
        @Override
        public AttributedString highlight(LineReader reader, String buffer) {
            AttributedStringBuilder out = new AttributedStringBuilder();
            try {
                for (Lexeme lexeme : Syntax.lex(buffer)) {
                    out.style(style(lexeme.kind())).append(lexeme.text());
                }
            } catch (RuntimeException e) {
                return new AttributedString(buffer);
            }
            return out.toAttributedString();
        }

        private static AttributedStyle style(Lexeme.Kind kind) {
            return switch (kind) {
                case KEYWORD -> AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
                case STRING -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
                case NUMBER -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
                case COMMENT -> AttributedStyle.DEFAULT.faint();
                case UNTERMINATED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
                case ERROR -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).underline();
                default -> AttributedStyle.DEFAULT;
            };
        }

        public void setErrorPattern(Pattern errorPattern) {
            // errors are shown from the lexer
        }

        public void setErrorIndex(int errorIndex) {
            // errors are shown from the lexer
        }
    }
}
