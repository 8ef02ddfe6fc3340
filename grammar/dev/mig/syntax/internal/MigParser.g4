// Parser of the mig language; see docs/language.md. Start rule: script.
parser grammar MigParser;

options { tokenVocab = MigLexer; }

script : sep* ( statement ( sep+ statement )* sep* )? EOF ;


sep : NEWLINE | SEMI ;

statement
  : MIGRATION version text                                                    # migrationStmt
  | REPEATABLE text                                                           # repeatableStmt
  | TEST text ( TIMEOUT INT )?                                                # testStmt
  | CONNECT name text READONLY?                                               # connectStmt
  | INVENTORY qname                                                           # inventoryStmt
  | DIFF qname qname ( TO text )?                                             # diffStmt
  | SQL name text                                                             # sqlStmt
  | BACKUP qname TO text                                                      # backupStmt
  | RESTORE qname FROM text                                                   # restoreStmt
  | FREEZE qname                                                              # freezeStmt
  | UNFREEZE qname                                                            # unfreezeStmt
  | MAP qname ARROW qname keyClause? conflictClause? mapBlock ( WHERE expr )? # mapBlockStmt
  | MAP qname ARROW qname ( AS typeName )? ( DEFAULT expr )? ( WHERE expr )?  # mapFieldStmt
  | REPLAY qname ARROW qname                                                  # replayStmt
  | CHECKSUM qname ( ARROW qname checksumAllow* )?                             # checksumStmt
  | SAMPLE INT qname ( ARROW qname )? ( WHERE expr )? sampleOption*           # sampleStmt
  | ASSERT assertion                                                          # assertStmt
  | ARCHIVE qname ( BY name )? ( WHERE expr )? TO ( text | qname ) FORCE?     # archiveStmt
  | PURGE qname ( IF EXISTS )? ( WHERE expr )? FORCE?                         # purgeStmt
  | BACKUPS OF qname WHERE expr REWRITE?                                      # backupsOfStmt
  | RECEIPT TO text                                                           # receiptStmt
  | PRUNE qname FORCE?                                                        # pruneStmt
  | CUTOVER qname ARROW qname FORCE?                                          # cutoverStmt
  | ON ROLLBACK MAP qname ARROW qname keyClause? mapBlock                     # rollbackMapStmt
  | ROLLBACK                                                                  # rollbackStmt
  | SET name setValue                                                         # setStmt
  ;

version : INT | DECIMAL | VERSION ;

keyClause : KEY ( qname | LPAREN qname ( COMMA qname )* RPAREN ) ;

conflictClause : ON CONFLICT KEEP ;

checksumAllow : ALLOW ( INT | EXTRA ) ;

mapBlock : LBRACE sep* ( mapLine ( sep+ mapLine )* sep* )? RBRACE ;

mapLine : expr ARROW qname ( AS typeName )? ( DEFAULT expr )? ;

sampleOption : SEED INT | TO text ;

assertion
  : NONE qname ( WHERE expr )?   # noneAssertion
  | expr                         # exprAssertion
  ;

setValue : INT | DECIMAL | text | name | TRUE | FALSE ;

typeName : name ;

expr
  : LPAREN expr RPAREN                                               # parenExpr
  | literal                                                          # literalExpr
  | CASE subject=expr? ( WHEN expr THEN expr )+ ( ELSE expr )? END   # caseExpr
  | name LPAREN ( expr ( COMMA expr )* )? ( WHERE expr )? RPAREN     # callExpr
  | qname                                                            # nameExpr
  | MINUS expr                                                       # negateExpr
  | expr AS typeName                                                 # castExpr
  | expr op=( STAR | SLASH | PERCENT ) expr                          # binaryExpr
  | expr op=( PLUS | MINUS ) expr                                    # binaryExpr
  | expr op=CONCAT expr                                              # binaryExpr
  | expr IS NOT? NULL                                                # isNullExpr
  | expr NOT? IN LPAREN SELECT expr FROM qname ( WHERE expr )? RPAREN # inSelectExpr
  | expr NOT? IN LPAREN expr ( COMMA expr )* RPAREN                  # inExpr
  | expr op=( EQ | NEQ | LT | LE | GT | GE ) expr                    # binaryExpr
  | NOT expr                                                         # notExpr
  | expr op=AND expr                                                 # binaryExpr
  | expr op=OR expr                                                  # binaryExpr
  ;

literal : text | INT | DECIMAL | TRUE | FALSE | NULL ;

text : STRING | TRIPLE_STRING ;

// A dotted name: conn, conn.table, conn.table.col.json.path, col.*
qname : name ( DOT ( name | STAR ) )* ;

name
  : IDENT | QUOTED_IDENT
  | MIGRATION | REPEATABLE | TEST | TIMEOUT | CONNECT | READONLY | INVENTORY | DIFF | SQL | BACKUP | RESTORE | FREEZE | UNFREEZE
  | MAP | REPLAY | CHECKSUM | SAMPLE | ASSERT | ARCHIVE | PURGE | PRUNE | CUTOVER | ROLLBACK | SET
  | TO | FROM | KEY | WHERE | ALLOW | SEED | NONE | FORCE | DEFAULT | ON | CONFLICT | KEEP | EXTRA | BY | SELECT
  | BACKUPS | RECEIPT | OF | REWRITE | IF | EXISTS
  ;
