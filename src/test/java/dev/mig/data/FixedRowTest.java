package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A FixedRow behaves as the LinkedHashMap it replaces, once every one of its names has been put. */
class FixedRowTest {
    @Test
    void behavesAsALinkedHashMapWithEveryNamePut() {
        List<String> names = List.of("id", "memory_id", "old_memory", "event", "created_at");
        FixedRow.Names shared = new FixedRow.Names(names);
        Random random = new Random(3);
        for (int round = 0; round < 500; round++) {
            FixedRow row = new FixedRow(shared);
            Map<String, Object> expected = new LinkedHashMap<>();
            for (String name : names) {
                Object v = random.nextInt(4) == 0 ? null : "v" + random.nextInt(10);
                assertEquals(expected.put(name, v), row.put(name, v));
            }
            for (int op = 0; op < 20; op++) {
                // equal names that are other String instances, and names outside the list
                String key = random.nextBoolean() ? new String(names.get(random.nextInt(names.size())))
                        : "extra" + random.nextInt(3);
                Object v = random.nextInt(3) == 0 ? null : random.nextInt(100);
                switch (random.nextInt(4)) {
                    case 0 -> assertEquals(expected.put(key, v), row.put(key, v));
                    case 1 -> assertEquals(expected.get(key), row.get(key));
                    case 2 -> assertEquals(expected.containsKey(key), row.containsKey(key));
                    default -> {
                        if (!names.contains(key)) {
                            assertEquals(expected.remove(key), row.remove(key));
                        }
                    }
                }
            }
            assertEquals(expected, row);
            assertEquals(row, expected);
            assertEquals(expected.hashCode(), row.hashCode());
            assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(row.entrySet()));
            assertEquals(expected.toString(), row.toString());
            assertEquals(expected.size(), row.size());
            assertEquals(expected, new LinkedHashMap<>(row));
        }
    }

    @Test
    void setWritesThePositionAndEntriesWriteThrough() {
        FixedRow row = new FixedRow(new FixedRow.Names(List.of("a", "b")));
        row.set(1, "x");
        assertEquals("x", row.get("b"));
        assertEquals(null, row.get("a"));
        row.entrySet().iterator().next().setValue(7);
        assertEquals(7, row.get("a"));
        assertThrows(UnsupportedOperationException.class, () -> row.remove("a"));
    }
}
