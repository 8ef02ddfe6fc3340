package dev.mig.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.db.Database;
import dev.mig.run.Pg;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mig's state tables written and read through one StateTable, on SQLite and PostgreSQL: every value type and NULLs kept. */
class StateTableTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rowsGoInAndComeBackAsWritten(String kind) throws Exception {
        String url = kind.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("state.db") : Pg.newDatabase();
        StateTable table = new StateTable("mig_test_state", "name TEXT NOT NULL, line INTEGER NOT NULL, rows BIGINT, done INTEGER, "
                + "note TEXT, PRIMARY KEY (name, line)");
        try (Database db = Database.open("state", url, false, false)) {
            assertFalse(table.exists(db));
            assertTrue(table.select(db, "name", "", rs -> rs.getString(1)).isEmpty(), "no table: no rows, no error");
            table.create(db);
            table.create(db); // IF NOT EXISTS
            db.schemaChanged();
            table.insert(db, "a", 1, 5_000_000_000L, true, "x");
            table.insert(db, "a", 2, null, false, null);
            table.insertAll(db, List.of(new Object[] {"b", 1, 7L, null, "y"}, new Object[] {"b", 2, 8L, true, "z"}));
            db.commit();
            assertTrue(table.exists(db));
            // read back with plain SQL, not through the class under test
            List<String> rows = new ArrayList<>();
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, line, rows, done, note FROM mig_test_state ORDER BY name, line")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5));
                }
            }
            assertEquals(List.of("a|1|5000000000|1|x", "a|2|null|0|null", "b|1|7|null|y", "b|2|8|1|z"), rows);
            assertEquals(List.of(8L), table.select(db, "rows", "WHERE name = ? AND line = ?", rs -> rs.getLong(1), "b", 2));
            assertEquals(2, table.delete(db, "WHERE name = ?", "a"));
            db.commit();
            assertEquals(List.of("b", "b"), table.select(db, "name", "ORDER BY line", rs -> rs.getString(1)));
            // the composite primary key is a constraint, not a column, and it holds
            assertThrows(SQLException.class, () -> table.insert(db, "b", 1, 1L, false, null));
            db.rollback();
            assertThrows(IllegalArgumentException.class, () -> table.insert(db, "c", 1));
        }
    }
}
