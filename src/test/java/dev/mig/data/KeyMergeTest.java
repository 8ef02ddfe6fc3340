package dev.mig.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The one key merge of checksum and carry-back: against a set difference on random sorted keys, and duplicates. */
class KeyMergeTest {
    private static List<String> merge(List<Integer> left, List<Integer> right) {
        Iterator<Integer> l = left.iterator();
        Iterator<Integer> r = right.iterator();
        List<String> out = new ArrayList<>();
        KeyMerge.merge(() -> l.hasNext() ? l.next() : null, a -> List.of(a), () -> r.hasNext() ? r.next() : null, b -> List.of(b),
                new KeyMerge.Visitor<Integer, Integer, RuntimeException>() {
                    @Override
                    public void both(Integer a, Integer b) {
                        out.add("= " + a);
                    }

                    @Override
                    public void onlyLeft(Integer a) {
                        out.add("< " + a);
                    }

                    @Override
                    public void onlyRight(Integer b) {
                        out.add("> " + b);
                    }

                    @Override
                    public void duplicateLeft(Integer a) {
                        out.add("dup " + a);
                    }
                });
        return out;
    }

    @Test
    void agreesWithSetsOnRandomKeys() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            TreeSet<Integer> a = new TreeSet<>();
            TreeSet<Integer> b = new TreeSet<>();
            for (int i = 0; i < random.nextInt(40); i++) {
                a.add(random.nextInt(60));
            }
            for (int i = 0; i < random.nextInt(40); i++) {
                b.add(random.nextInt(60));
            }
            List<String> expected = new ArrayList<>();
            TreeSet<Integer> all = new TreeSet<>(a);
            all.addAll(b);
            for (int k : all) {
                expected.add(a.contains(k) && b.contains(k) ? "= " + k : a.contains(k) ? "< " + k : "> " + k);
            }
            assertEquals(expected, merge(new ArrayList<>(a), new ArrayList<>(b)));
        }
    }

    @Test
    void aRepeatedLeftKeyIsADuplicate() {
        assertEquals(List.of("= 1", "dup 1", "< 2", "dup 2", "> 3"), merge(List.of(1, 1, 2, 2), List.of(1, 3)));
        assertEquals(List.of(), merge(List.of(), List.of()));
    }
}
