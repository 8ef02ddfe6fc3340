// Lexer of the mig language. Keywords are case-insensitive; identifiers keep their case.
// Newlines end statements, except where MigLexerBase hides them (inside parentheses or a
// case expression, or after a token that cannot end a statement, such as '->' or ',').
lexer grammar MigLexer;

options { caseInsensitive = true; superClass = MigLexerBase; }

// Statement keywords
MIGRATION : 'migration' ;
REPEATABLE : 'repeatable' ;
CONNECT   : 'connect' ;
READONLY  : 'readonly' ;
INVENTORY : 'inventory' ;
DIFF      : 'diff' ;
SQL       : 'sql' ;
BACKUP    : 'backup' ;
RESTORE   : 'restore' ;
FREEZE    : 'freeze' ;
UNFREEZE  : 'unfreeze' ;
MAP       : 'map' ;
REPLAY    : 'replay' ;
CHECKSUM  : 'checksum' ;
SAMPLE    : 'sample' ;
ASSERT    : 'assert' ;
ARCHIVE   : 'archive' ;
PURGE     : 'purge' ;
PRUNE     : 'prune' ;
CUTOVER   : 'cutover' ;
ROLLBACK  : 'rollback' ;
TEST      : 'test' ;
BACKUPS   : 'backups' ;
RECEIPT   : 'receipt' ;
SET       : 'set' ;

// Clause keywords (soft: also usable as names)
TO      : 'to' ;
FROM    : 'from' ;
KEY     : 'key' ;
WHERE   : 'where' ;
ALLOW   : 'allow' ;
SEED    : 'seed' ;
NONE    : 'none' ;
FORCE   : 'force' ;
TIMEOUT : 'timeout' ;
DEFAULT : 'default' ;
ON      : 'on' ;
CONFLICT : 'conflict' ;
KEEP    : 'keep' ;
EXTRA   : 'extra' ;
BY      : 'by' ;
SELECT  : 'select' ;
OF      : 'of' ;
REWRITE : 'rewrite' ;
IF      : 'if' ;
EXISTS  : 'exists' ;

// Expression keywords (reserved)
AS    : 'as' ;
AND   : 'and' ;
OR    : 'or' ;
NOT   : 'not' ;
IS    : 'is' ;
NULL  : 'null' ;
TRUE  : 'true' ;
FALSE : 'false' ;
IN    : 'in' ;
CASE  : 'case' ;
WHEN  : 'when' ;
THEN  : 'then' ;
ELSE  : 'else' ;
END   : 'end' ;

ARROW  : '->' ;
LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
COMMA  : ',' ;
DOT    : '.' ;
SEMI   : ';' ;
STAR   : '*' ;
SLASH  : '/' ;
PERCENT: '%' ;
PLUS   : '+' ;
MINUS  : '-' ;
CONCAT : '||' ;
EQ     : '=' ;
NEQ    : '!=' | '<>' ;
LE     : '<=' ;
GE     : '>=' ;
LT     : '<' ;
GT     : '>' ;

VERSION : DIGITS '.' DIGITS ('.' DIGITS)+ ;
DECIMAL : DIGITS '.' DIGITS ;
INT     : DIGITS ;

// A string whose text starts with a quote must be triple-quoted: this keeps ''' unambiguous.
TRIPLE_STRING       : '\'\'\'' .*? '\'\'\'' ;
// Never crosses a ''' so that a closed triple string is always the longer match.
UNTERMINATED_TRIPLE : '\'\'\'' ( ~'\'' | '\'' ~'\'' | '\'\'' ~'\'' )* ( '\'' | '\'\'' )? EOF ;
STRING              : '\'\'' | '\'' ~['\r\n] ( ~['\r\n] | '\'\'' )* '\'' ;
UNTERMINATED_STRING : '\'' ( ~['\r\n] | '\'\'' )* ;

IDENT        : [a-z_] [a-z0-9_]* ;
QUOTED_IDENT : '"' ( ~["\r\n] | '""' )* '"' ;
UNTERMINATED_IDENT : '"' ( ~["\r\n] | '""' )* ;

COMMENT : '--' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\f]+ -> channel(HIDDEN) ;
NEWLINE : '\r'? '\n' | '\r' ;

ERROR_CHAR : . ;

fragment DIGITS : [0-9]+ ;
