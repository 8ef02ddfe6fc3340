package dev.mig.syntax;

import dev.mig.syntax.internal.AstBuilder;
import dev.mig.syntax.internal.MigLexer;
import dev.mig.syntax.internal.MigParser;
import dev.mig.syntax.internal.SyntaxErrors;
import dev.mig.syntax.internal.Tokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.ANTLRInputStream;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/** Entry point of the syntax package: source text in, AST and positioned errors out. */
public final class Syntax {
    private Syntax() {
    }

    public static ParseResult parse(String file, String source) {
        List<Diagnostic> errors = new ArrayList<>();
        try {
            return parseChecked(file, source, errors);
        } catch (StackOverflowError e) {
            errors.add(Diagnostic.error(file, new Span(1, 1, 0, 0), "the script nests too deeply to parse"));
            return new ParseResult(new Script(file, source, List.of()), errors, false, Set.of());
        }
    }

    private static ParseResult parseChecked(String file, String source, List<Diagnostic> errors) {
        MigLexer lexer = newLexer(source);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        Set<Integer> lexicalLines = new HashSet<>();
        boolean incomplete = lexicalErrors(file, tokens.getTokens(), errors, lexicalLines);
        Token tooDeep = lexer.tooDeep();
        if (tooDeep != null) {
            errors.add(Diagnostic.error(file, Tokens.span(tooDeep),
                    "nesting is too deep (more than " + MigLexer.MAX_NESTING + " levels of '(' or 'case')"));
            return new ParseResult(new Script(file, source, List.of()), errors, false, Set.of());
        }

        List<Stmt> statements = new ArrayList<>();
        Set<String> brokenConnects = new HashSet<>();
        AstBuilder builder = new AstBuilder(file, errors);
        List<List<Token>> chunks = statementChunks(tokens.getTokens());
        for (int i = 0; i < chunks.size(); i++) {
            boolean last = i == chunks.size() - 1;
            SyntaxErrors listener = new SyntaxErrors(file, last ? lexer : null, lexicalLines, lastSignificant(chunks.get(i)));
            MigParser.ScriptContext tree = parseChunk(chunks.get(i), listener);
            boolean earlierErrors = !errors.isEmpty();
            errors.addAll(listener.errors());
            if (last && listener.firstAtEnd() && !earlierErrors) {
                incomplete = true;
            }
            for (MigParser.StatementContext statement : tree.statement()) {
                if (AstBuilder.damaged(statement)) {
                    if (statement instanceof MigParser.ConnectStmtContext c && c.name() != null) {
                        brokenConnects.add(AstBuilder.name(c.name()));
                    }
                    continue;
                }
                Stmt built = builder.statement(statement);
                if (built != null) {
                    statements.add(built);
                }
            }
        }
        errors.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
        return new ParseResult(new Script(file, source, statements), errors, incomplete, brokenConnects);
    }

    /**
     * Splits tokens into statements at each newline or ';' outside braces, so that one broken
     * statement cannot hide the errors of the next: each is parsed on its own. A statement keyword
     * first on its line also starts a statement, even after a line that ends in '->' or 'where':
     * the unfinished line is reported, not the next statement.
     */
    private static List<List<Token>> statementChunks(List<Token> tokens) {
        List<List<Token>> chunks = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int braces = 0;
        boolean significant = false;
        boolean lineBreak = false;
        for (Token token : tokens) {
            if (token.getType() == Token.EOF) {
                break;
            }
            if (token.getChannel() != Token.DEFAULT_CHANNEL) {
                lineBreak |= token.getType() == MigLexer.NEWLINE;
                current.add(token);
                continue;
            }
            int type = token.getType();
            if (lineBreak && significant && braces == 0 && type >= MigLexer.MIGRATION && type <= MigLexer.SET) {
                chunks.add(current);
                current = new ArrayList<>();
            }
            lineBreak = false;
            current.add(token);
            if (type == MigLexer.LBRACE) {
                braces++;
            } else if (type == MigLexer.RBRACE) {
                braces = Math.max(0, braces - 1);
            }
            if ((type == MigLexer.NEWLINE || type == MigLexer.SEMI) && braces == 0) {
                if (significant) {
                    chunks.add(current);
                }
                current = new ArrayList<>();
                significant = false;
            } else {
                significant = true;
            }
        }
        if (significant || chunks.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static Token lastSignificant(List<Token> chunk) {
        for (int i = chunk.size() - 1; i >= 0; i--) {
            if (chunk.get(i).getChannel() == Token.DEFAULT_CHANNEL) {
                return chunk.get(i);
            }
        }
        return null;
    }

    private static MigParser.ScriptContext parseChunk(List<Token> chunk, SyntaxErrors listener) {
        ListTokenSource source = new ListTokenSource(chunk);
        CommonTokenStream tokens = new CommonTokenStream(source);
        MigParser parser = new MigParser(tokens);
        parser.removeErrorListeners();
        try {
            // Fast path: SLL prediction without recovery; almost every valid statement parses here.
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            parser.setErrorHandler(new BailErrorStrategy());
            return parser.script();
        } catch (ParseCancellationException e) {
            tokens.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.addErrorListener(listener);
            return parser.script();
        }
    }

    /** Reports characters and unclosed strings the lexer could not make into tokens; true if input ends in a '''string. */
    private static boolean lexicalErrors(String file, List<Token> tokens, List<Diagnostic> errors, Set<Integer> lines) {
        boolean openTriple = false;
        for (Token token : tokens) {
            String message = switch (token.getType()) {
                case MigLexer.ERROR_CHAR -> "unexpected character '" + token.getText() + "'";
                case MigLexer.UNTERMINATED_STRING ->
                        "unterminated string: add the closing ' (a string ends on its line; use '''...''' for text over several lines)";
                case MigLexer.UNTERMINATED_IDENT -> "unterminated quoted name: add the closing \"";
                case MigLexer.UNTERMINATED_TRIPLE -> "unterminated '''string''': add the closing '''";
                default -> null;
            };
            if (message != null) {
                openTriple |= token.getType() == MigLexer.UNTERMINATED_TRIPLE;
                Span span = Tokens.span(token);
                if (token.getType() != MigLexer.ERROR_CHAR) {
                    span = new Span(span.line(), span.column(), span.start(), span.start() + 1);
                }
                errors.add(Diagnostic.error(file, span, message));
                lines.add(token.getLine());
            }
        }
        return openTriple;
    }

    @SuppressWarnings("deprecation")
    private static MigLexer newLexer(String source) {
        // ANTLRInputStream counts UTF-16 units like Java strings do (CharStreams counts code points),
        // so offsets and columns stay right after an emoji.
        MigLexer lexer = new MigLexer(new ANTLRInputStream(source));
        lexer.removeErrorListeners();
        return lexer;
    }

    /** Every token of the source, hidden ones included, classified for tools. */
    public static List<Lexeme> lex(String source) {
        MigLexer lexer = newLexer(source);
        List<Lexeme> out = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            out.add(new Lexeme(kind(t.getType()), t.getText(), Tokens.span(t)));
        }
        return out;
    }

    private static Lexeme.Kind kind(int type) {
        if (Tokens.isKeyword(type)) {
            return Lexeme.Kind.KEYWORD;
        }
        if (Tokens.isPunctuation(type)) {
            return Lexeme.Kind.OPERATOR;
        }
        return switch (type) {
            case MigLexer.IDENT, MigLexer.QUOTED_IDENT -> Lexeme.Kind.NAME;
            case MigLexer.STRING, MigLexer.TRIPLE_STRING -> Lexeme.Kind.STRING;
            case MigLexer.INT, MigLexer.DECIMAL, MigLexer.VERSION -> Lexeme.Kind.NUMBER;
            case MigLexer.COMMENT -> Lexeme.Kind.COMMENT;
            case MigLexer.NEWLINE -> Lexeme.Kind.NEWLINE;
            case MigLexer.WS -> Lexeme.Kind.SPACE;
            case MigLexer.UNTERMINATED_STRING, MigLexer.UNTERMINATED_TRIPLE, MigLexer.UNTERMINATED_IDENT ->
                    Lexeme.Kind.UNTERMINATED;
            default -> Lexeme.Kind.ERROR;
        };
    }
}
