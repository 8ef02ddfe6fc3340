package dev.mig.syntax.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.WritableToken;

/**
 * Makes newlines statement separators only where a statement can end: a newline inside
 * parentheses or a case expression, or after a token that needs a right-hand side
 * ('->', ',', an operator, ...), goes to the hidden channel, so long expressions may span lines.
 */
public abstract class MigLexerBase extends Lexer {
    /** Deeper nesting than this is refused: recursive-descent parsing must not overflow the stack. */
    public static final int MAX_NESTING = 200;

    private static final Set<Integer> CONTINUATION = Set.of(
            MigLexer.ARROW, MigLexer.COMMA, MigLexer.DOT, MigLexer.SLASH, MigLexer.PERCENT,
            MigLexer.PLUS, MigLexer.MINUS, MigLexer.CONCAT, MigLexer.EQ, MigLexer.NEQ, MigLexer.LE,
            MigLexer.GE, MigLexer.LT, MigLexer.GT, MigLexer.AND, MigLexer.OR, MigLexer.NOT,
            MigLexer.AS, MigLexer.DEFAULT, MigLexer.WHERE, MigLexer.WHEN, MigLexer.THEN,
            MigLexer.ELSE, MigLexer.CASE, MigLexer.IN, MigLexer.IS);

    private final Deque<Token> openGroups = new ArrayDeque<>();
    private int lastSignificantType = Token.INVALID_TYPE;
    private Token tooDeep;

    protected MigLexerBase(CharStream input) {
        super(input);
    }

    @Override
    public Token emit() {
        Token token = super.emit();
        if (token.getChannel() != Token.DEFAULT_CHANNEL) {
            return token;
        }
        int type = token.getType();
        if (type == MigLexer.NEWLINE) {
            if (!openGroups.isEmpty() || CONTINUATION.contains(lastSignificantType)) {
                setChannelOf(token);
            }
            return token;
        }
        if (type == MigLexer.LPAREN || type == MigLexer.CASE) {
            openGroups.push(token);
            if (openGroups.size() > MAX_NESTING && tooDeep == null) {
                tooDeep = token;
            }
        } else if (type == MigLexer.RPAREN || type == MigLexer.END) {
            if (!openGroups.isEmpty()) {
                openGroups.pop();
            }
        } else if (type == MigLexer.LBRACE || type == MigLexer.RBRACE) {
            // A brace never sits inside parentheses: a missing ')' must not swallow the rest of the file.
            openGroups.clear();
        }
        lastSignificantType = type;
        return token;
    }

    private void setChannelOf(Token token) {
        ((WritableToken) token).setChannel(Token.HIDDEN_CHANNEL);
    }

    /** The outermost '(' or 'case' still open at the end of input, or null. */
    public Token unclosedGroup() {
        return openGroups.isEmpty() ? null : openGroups.peekLast();
    }

    /** The first token that nested deeper than {@link #MAX_NESTING}, or null. */
    public Token tooDeep() {
        return tooDeep;
    }
}
