package dev.mig.run.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.pushdown.CanonicalSql;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.Pg;
import dev.mig.run.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row hashes computed inside PostgreSQL are the hashes mig computes from the rows: the digests of
 * awkward values agree, and a comparison finds (and shows) the one row that differs.
 */
class ChecksumInDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void postgresHashesRowsAsMigDoes() throws Exception {
        String url = Pg.newDatabase();
        try (Connection c = Pg.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT, n BIGINT, price NUMERIC, ok BOOLEAN, "
                    + "at TIMESTAMPTZ, naive TIMESTAMP, day DATE, u UUID, tags TEXT[])");
            s.execute("""
                    INSERT INTO t VALUES
                      ('a', E'quote " back \\\\ nl \\n tab \\t bell \\b ff \\f ctl \\u0001 del \\u007f', 1, 1.50, true,
                       '2024-07-01 10:30:00.123456-07', '2024-07-01 10:30:00', '2024-07-01', gen_random_uuid(), '{x,"y z"}'),
                      ('b', 'emoji 🧠 and ü', -9223372036854775807, 0.000, false, '2024-07-01 10:30:00.12+00',
                       '1999-12-31 23:59:59.999999', '0999-01-01', NULL, NULL),
                      ('c', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                      ('d', '', 0, 100, true, '0500-01-01 00:00:00+00', '9999-12-31 23:59:59', '2024-02-29', NULL, '{}'),
                      ('e', 'far future', 1, 1e20, true, '12000-01-01 00:00:00+00', '2024-01-01', '2024-01-01', NULL, NULL)
                    """);
            s.execute("CREATE TABLE u AS SELECT * FROM t; ALTER TABLE u ADD PRIMARY KEY (id)");
            s.execute("UPDATE u SET body = 'changed' WHERE id = 'b'");
            s.execute("CREATE TABLE v AS SELECT * FROM t; ALTER TABLE v ADD PRIMARY KEY (id)");
            s.execute("DELETE FROM v WHERE id = 'c'; INSERT INTO v (id, body) VALUES ('z', 'new')");
        }
        // mig's own digest of the rows, as it computes it for a SQLite table, and row by row the same text
        String expected;
        try (Database db = Database.open("db", url, true, false)) {
            TableInfo table = db.describe("t");
            Digest digest = new Digest();
            Map<String, String> texts = new TreeMap<>();
            new TableReader(db, table).ordered(List.of(), row -> {
                digest.add(Canonical.row(row.values(), table.types()));
                texts.put((String) row.get("id"), Canonical.row(row.values(), table.types()));
            }, 100);
            expected = digest.toString();
            String[] sql = CanonicalSql.rowText(table, table.columnNames());
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, " + sql[0] + ", " + sql[1] + " FROM t ORDER BY id")) {
                while (rs.next()) {
                    if (rs.getBoolean(3)) {
                        assertEquals(texts.get(rs.getString(1)), rs.getString(2));
                    } else {
                        assertEquals("e", rs.getString(1), "only the year 12000 row is left to mig");
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        String script = """
                migration 1 'hashes inside PostgreSQL'
                connect db '%s'
                checksum db.t
                checksum db.t -> db.u allow 1
                set pushdown off
                checksum db.t -> db.u allow 1
                set pushdown on
                set parallel 2
                checksum db.t -> db.v allow 2
                """.formatted(url);
        Files.writeString(dir.resolve("c.mig"), script);
        ScriptRunner.Outcome outcome = new ScriptRunner(new RunOptions(false, Map.of(), dir, out::add))
                .run(new ScriptSource(dir.resolve("c.mig").toString(), script));
        String printed = String.join("\n", out);
        assertEquals(ScriptRunner.Outcome.APPLIED, outcome, printed);
        assertTrue(printed.contains("5 rows, digest " + expected), expected + "\n" + printed);
        // compared by a join inside the database, then (pushdown off) as two streams of row hashes
        List<String> compares = out.stream().filter(l -> l.contains("checksum db.t -> db.u")).toList();
        assertEquals(2, compares.size(), printed);
        assertTrue(compares.get(0).contains("4 matched, 1 mismatched, 0 only in db.t, 0 only in db.u; compared inside the database"),
                printed);
        assertTrue(compares.get(1).contains("4 matched, 1 mismatched, 0 only in db.t, 0 only in db.u (within allow 1)"), printed);
        assertTrue(printed.contains("4 matched, 0 mismatched, 1 only in db.t, 1 only in db.v; compared inside the database"), printed);
        assertTrue(printed.contains("only in db.t (first 1):\n      id='c'"), printed);
        assertTrue(printed.contains("only in db.v (first 1):\n      id='z'"), printed);
        assertEquals(2, printed.split("id='b': body expected \"emoji 🧠 and ü\", found \"changed\"", -1).length - 1, printed);
    }
}
