package dev.mig.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.mem0.Vendor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickles made by Python's own pickle module (src/test/resources/live/pickle_fixtures.py): qdrant-client's
 * real models under pydantic 1, pydantic 2's pickled form, and pickles that would run code or are broken.
 */
class PicklesTest {
    @TempDir
    static Path dir;

    private static final Map<String, JsonNode> FIXTURES = new TreeMap<>();

    /** Numbers equal by value (Python's json writes 42, Jackson reads an int; the pickle gives a long). */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.equals(b) ? 0
            : a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    @BeforeAll
    static void fixtures() throws Exception {
        Path out = dir.resolve("fixtures.json");
        Vendor.python("pickle_fixtures.py", Vendor.qdrantClient().toString(), out.toString());
        new ObjectMapper().readTree(out.toFile()).fields().forEachRemaining(e -> FIXTURES.put(e.getKey(), e.getValue()));
        assertTrue(FIXTURES.size() >= 14, FIXTURES.keySet().toString());
    }

    private static byte[] pickle(String name) {
        return Base64.getDecoder().decode(FIXTURES.get(name).get("pickle").asText());
    }

    @Test
    void qdrantPointsOfBothPydanticsReadAsTheirFields() {
        int read = 0;
        for (Map.Entry<String, JsonNode> f : FIXTURES.entrySet()) {
            if (f.getKey().startsWith("evil-")) {
                continue;
            }
            JsonNode actual = Pickles.json(Pickles.load(pickle(f.getKey())));
            assertTrue(f.getValue().get("expect").equals(BY_VALUE, actual), f.getKey() + ": " + actual);
            read++;
        }
        assertEquals(10, read);
        assertFalse(FIXTURES.get("pydantic1-unnamed").get("expect").equals(BY_VALUE, Pickles.json(Pickles.load(pickle("pydantic1-int-id")))),
                "the comparison tells points apart");
        JsonNode point = Pickles.json(Pickles.load(pickle("pydantic1-unnamed")));
        assertTrue(point.get("vector").get(2).isDouble() && point.get("vector").get(2).doubleValue() == 1e-40,
                "floats stay the doubles Python pickled");
        assertTrue(point.get("payload").get("big").isBigInteger());
        assertTrue(Double.doubleToRawLongBits(point.get("vector").get(4).doubleValue()) == Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aPickleThatWouldRunACommandIsRefusedAndNothingRuns() {
        Path marker = Path.of("/tmp/mig-pickle-was-run");
        Pickles.PickleRefused e = assertThrows(Pickles.PickleRefused.class, () -> Pickles.load(pickle("evil-os-system")));
        assertTrue(e.getMessage().contains("loads posix.system") || e.getMessage().contains("loads os.system"), e.getMessage());
        assertTrue(e.getMessage().contains("not one of the classes a Qdrant point is made of"), e.getMessage());
        assertFalse(Files.exists(marker));
        e = assertThrows(Pickles.PickleRefused.class, () -> Pickles.load(pickle("evil-eval-protocol0")));
        assertTrue(e.getMessage().contains("loads builtins.eval"), e.getMessage());
    }

    @Test
    void anotherClassATruncatedPickleAndGarbageAreRefusedWithTheReason() {
        assertTrue(assertThrows(Pickles.PickleRefused.class, () -> Pickles.load(pickle("evil-datetime-in-payload"))).getMessage()
                .contains("loads datetime.datetime"));
        assertTrue(assertThrows(Pickles.PickleRefused.class, () -> Pickles.load(pickle("evil-truncated"))).getMessage()
                .startsWith("a truncated pickle"));
        assertTrue(assertThrows(Pickles.PickleRefused.class, () -> Pickles.load("{\"id\": 1}".getBytes())).getMessage()
                .startsWith("not a pickle"));
        assertTrue(assertThrows(Pickles.PickleRefused.class, () -> Pickles.load(new byte[0])).getMessage()
                .contains("empty"));
    }
}
