package dev.mig.syntax.internal;

import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.EditDistance;
import dev.mig.syntax.Names;
import dev.mig.syntax.Span;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into sentences a user understands: what was expected, in words,
 * and what was found instead. Never lists token names.
 */
public final class SyntaxErrors extends BaseErrorListener {
    private static final int[] STATEMENT_STARTS = {
        MigLexer.MIGRATION, MigLexer.REPEATABLE, MigLexer.CONNECT, MigLexer.INVENTORY, MigLexer.DIFF, MigLexer.SQL, MigLexer.BACKUP,
        MigLexer.RESTORE, MigLexer.FREEZE, MigLexer.UNFREEZE, MigLexer.MAP, MigLexer.REPLAY, MigLexer.CHECKSUM,
        MigLexer.SAMPLE, MigLexer.ASSERT, MigLexer.ARCHIVE, MigLexer.PURGE, MigLexer.PRUNE, MigLexer.CUTOVER, MigLexer.ON, MigLexer.ROLLBACK, MigLexer.TEST,
        MigLexer.BACKUPS, MigLexer.RECEIPT,
        MigLexer.SET};

    private static final Set<Integer> EXPRESSION_STARTS = Set.of(
            MigLexer.NOT, MigLexer.CASE, MigLexer.NULL, MigLexer.TRUE, MigLexer.FALSE);

    private final String file;
    private final MigLexerBase lexer;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final Set<Integer> linesWithLexicalErrors;
    private boolean firstAtEnd;

    private final Token chunkEnd;

    /**
     * @param lexer the lexer when this is the last statement of the input (its end is the real
     *              end of input), else null
     * @param chunkEnd the last token of this statement's text, where a cut-short statement ends
     */
    public SyntaxErrors(String file, MigLexerBase lexer, Set<Integer> linesWithLexicalErrors, Token chunkEnd) {
        this.file = file;
        this.lexer = lexer;
        this.chunkEnd = chunkEnd;
        this.linesWithLexicalErrors = linesWithLexicalErrors;
    }

    public List<Diagnostic> errors() {
        return errors;
    }

    /** True when the first syntax error is that the input ended too early. */
    public boolean firstAtEnd() {
        return firstAtEnd;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col, String antlrMessage,
                            RecognitionException e) {
        Token found = offendingSymbol instanceof Token t ? t : null;
        if (found == null && e != null) {
            found = e.getOffendingToken();
        }
        if (found == null) {
            return;
        }
        boolean atEnd = found.getType() == Token.EOF;
        if (errors.isEmpty()) {
            firstAtEnd = atEnd;
        }
        if (linesWithLexicalErrors.contains(found.getLine())) {
            return; // the lexical error on this line already explains it
        }
        Parser parser = (Parser) recognizer;
        Span span = Tokens.span(found);
        String message = null;
        if (atEnd && lexer == null && chunkEnd != null) {
            // Not the end of input: the next line starts a new statement, this one is cut short.
            int end = chunkEnd.getStopIndex() + 1;
            span = new Span(chunkEnd.getLine(), chunkEnd.getCharPositionInLine() + 1 + end - chunkEnd.getStartIndex(), end, end);
            message = "expected " + expected(parser) + ", found end of line";
        } else if (atEnd) {
            message = endMessage(parser);
        }
        if (message == null) {
            message = "expected " + expected(parser) + ", found " + Tokens.describe(found) + suggestion(found);
        }
        String statement = enclosingStatement(parser.getContext());
        if (statement != null && !message.startsWith("'")) {
            message = "in '" + statement + "': " + message;
        }
        if (!errors.isEmpty() && errors.get(errors.size() - 1).span().equals(span)) {
            return; // one error per position: recovery may re-report the same spot
        }
        errors.add(Diagnostic.error(file, span, message));
    }

    private String endMessage(Parser parser) {
        Token group = lexer == null ? null : lexer.unclosedGroup();
        if (group != null) {
            String what = group.getType() == MigLexer.CASE ? "'case'" : "'('";
            String closer = group.getType() == MigLexer.CASE ? "'end'" : "')'";
            return what + " opened at " + group.getLine() + ":" + (group.getCharPositionInLine() + 1)
                    + " is not closed: expected " + closer + " before the end of input";
        }
        for (ParserRuleContext ctx = parser.getContext(); ctx != null; ctx = ctx.getParent()) {
            if (ctx instanceof MigParser.MapBlockContext block) {
                Token open = block.getStart();
                return "the map block opened at " + open.getLine() + ":" + (open.getCharPositionInLine() + 1)
                        + " is not closed: expected '}' before the end of input";
            }
        }
        return "input ends too early: expected " + expected(parser);
    }

    /** " (did you mean 'checksum'?)" for a name one or two typos away from a statement keyword. */
    private static String suggestion(Token found) {
        if (found.getType() != MigLexer.IDENT || found.getCharPositionInLine() > 0 && found.getTokenIndex() > 1) {
            return "";
        }
        String word = found.getText().toLowerCase(Locale.ROOT);
        for (int type : STATEMENT_STARTS) {
            String keyword = Tokens.literal(type);
            if (EditDistance.of(word, keyword) <= Math.min(2, keyword.length() / 3)) {
                return " (did you mean '" + keyword + "'?)";
            }
        }
        return "";
    }

    private static String enclosingStatement(ParserRuleContext ctx) {
        for (; ctx != null; ctx = ctx.getParent()) {
            if (ctx instanceof MigParser.StatementContext && ctx.getStart() != null
                    && ctx.getStart().getType() != Token.EOF) {
                return ctx.getStart().getText().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The expected tokens, grouped into a few categories a user knows. */
    static String expected(Parser parser) {
        IntervalSet set;
        try {
            set = parser.getExpectedTokens();
        } catch (RuntimeException ignored) {
            return "something else";
        }
        // Soft keywords are names too: a set with IDENT in it holds every soft keyword as a name.
        boolean names = set.contains(MigLexer.IDENT);
        boolean expression = names && set.contains(MigLexer.INT) && set.contains(MigLexer.LPAREN);
        boolean statement = !names;
        for (int type : STATEMENT_STARTS) {
            statement &= set.contains(type);
        }
        Set<String> words = new LinkedHashSet<>();
        if (statement) {
            words.add("a statement (connect, map, checksum, ...)");
        }
        if (expression) {
            words.add("an expression");
        } else {
            if (names) {
                words.add("a name");
            }
            if (set.contains(MigLexer.STRING)) {
                words.add("a 'quoted string'");
            }
            if (set.contains(MigLexer.INT)) {
                words.add("a number");
            }
        }
        List<String> keywords = new ArrayList<>();
        for (int type : set.toArray()) {
            if (statement && (type == Token.EOF || type == MigLexer.NEWLINE || type == MigLexer.SEMI)) {
                continue; // blank lines are always fine between statements
            }
            if (type == Token.EOF) {
                if (!set.contains(MigLexer.NEWLINE)) {
                    words.add("end of input");
                }
            } else if (type == MigLexer.NEWLINE || type == MigLexer.SEMI) {
                words.add("end of statement");
            } else if (Tokens.isPunctuation(type)) {
                boolean startsExpression = type == MigLexer.LPAREN || type == MigLexer.MINUS;
                if (!(expression && startsExpression)) {
                    words.add("'" + Tokens.literal(type) + "'");
                }
            } else if (Tokens.isKeyword(type)) {
                boolean partOfName = names && !Names.RESERVED.contains(Tokens.literal(type));
                boolean startsExpression = expression && EXPRESSION_STARTS.contains(type);
                if (!(statement && isStatementStart(type)) && !partOfName && !startsExpression) {
                    keywords.add("'" + Tokens.literal(type) + "'");
                }
            }
        }
        if (!keywords.isEmpty() && keywords.size() <= 6) {
            words.addAll(keywords);
        } else if (!keywords.isEmpty()) {
            words.add("a keyword");
        }
        if (words.isEmpty()) {
            return "something else";
        }
        List<String> list = new ArrayList<>(words);
        if (list.size() == 1) {
            return list.get(0);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
    }

    private static boolean isStatementStart(int type) {
        for (int start : STATEMENT_STARTS) {
            if (start == type) {
                return true;
            }
        }
        return false;
    }
}
