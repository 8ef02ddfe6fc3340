package dev.mig.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Syntax;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What mig plan says mig rollback would do, line for line. */
class RollbackPlanTest {
    private static List<String> plan(String script) {
        ParseResult parsed = Syntax.parse("t.mig", script);
        assertTrue(parsed.ok(), parsed.errors().toString());
        return RollbackPlan.lines(parsed.script());
    }

    private static final String HEAD = """
            migration 7 'g1 to g2'
            connect legacy 'jdbc:sqlite:legacy.db'
            """;

    @Test
    void withoutABackupThereIsNothingToRollBack() {
        assertEquals(List.of("nothing: the script takes no backup"), plan(HEAD + "checksum legacy.history\n"));
    }

    @Test
    void aBackedUpTableTheScriptNeverWritesIsLeftAlone() {
        assertEquals(List.of("legacy.history: not written by this migration, left as it is (restoring it would only undo "
                + "writes made since)"), plan(HEAD + "backup legacy.history to 'h.jsonl'\nchecksum legacy.history\n"));
    }

    @Test
    void aWrittenTableComesBackFromItsBackup() {
        assertEquals(List.of("legacy.history: restored from h.jsonl (verified against its manifest), then the writes queued "
                + "since that backup are applied again"), plan(HEAD + "backup legacy.history to 'h.jsonl'\n"
                + "purge legacy.history where is_deleted = 1\n"));
    }

    @Test
    void afterACutoverRowsAreCarriedBackThroughTheInverseAndTheDeclaredMap() {
        List<String> lines = plan(HEAD + """
                backup legacy.history to 'h.jsonl'
                map legacy.history -> legacy.history_g2 key id {
                  id               -> id
                  upper(event)     -> event
                  coalesce(new_value, old_value) -> memory
                  utc(created_at)  -> created_at as timestamp
                  'x'              -> origin
                }
                on rollback map legacy.history_g2 -> legacy.history {
                  lower(event) -> event
                }
                cutover legacy.history -> legacy.history_g2
                """);
        assertEquals(List.of(
                "legacy.history: after the cutover it holds history_g2's rows; that table is renamed history_after_v7 (kept), "
                        + "legacy.history comes back from h.jsonl, and rows written since are carried back:",
                "  event <- lower(event)   (on rollback map)",
                "  id <- id",
                "  new_value <- memory",
                "  created_at <- created_at",
                "  other columns keep their value (a new row: NULL; a NOT NULL one is rejected with the reason)"), lines);
    }

    @Test
    void aOneFieldMapIsAMapToo() {
        List<String> lines = plan(HEAD + """
                backup legacy.history to 'h.jsonl'
                map legacy.history.new_value -> legacy.history_g2.memory
                cutover legacy.history -> legacy.history_g2
                """);
        assertEquals("  new_value <- memory", lines.get(1), String.join("\n", lines));
    }
}
