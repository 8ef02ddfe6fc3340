package dev.mig.data;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A row's values under a list of column names shared by every row of one read or one map: an array
 * and the shared names instead of a hash map per row (building and hashing one cost a sixth of a
 * streamed map's CPU). Every name is present from the start, as in a map that had each one put; a
 * name outside the list goes into a small map of its own, in insertion order after the list.
 * Lookups try the names' own instances first (callers pass them), then the shared index.
 */
public final class FixedRow extends AbstractMap<String, Object> {
    /** The column names of a read or a map, with their positions. */
    public static final class Names {
        private final String[] names;
        private final Map<String, Integer> index = new HashMap<>();

        public Names(List<String> names) {
            this.names = names.toArray(new String[0]);
            for (int i = 0; i < this.names.length; i++) {
                index.putIfAbsent(this.names[i], i);
            }
        }

        int slot(Object name) {
            String[] n = names;
            for (int i = 0; i < n.length; i++) {
                if (n[i] == name) {
                    return i;
                }
            }
            Integer i = index.get(name);
            return i == null ? -1 : i;
        }
    }

    private final Names names;
    private final Object[] values;
    private Map<String, Object> others;

    public FixedRow(Names names) {
        this.names = names;
        this.values = new Object[names.names.length];
    }

    /** Sets the value at a position of the names (the read's column order). */
    public void set(int slot, Object value) {
        values[slot] = value;
    }

    @Override
    public Object get(Object key) {
        int slot = names.slot(key);
        if (slot >= 0) {
            return values[slot];
        }
        return others == null ? null : others.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return names.slot(key) >= 0 || others != null && others.containsKey(key);
    }

    @Override
    public Object put(String key, Object value) {
        int slot = names.slot(key);
        if (slot >= 0) {
            Object old = values[slot];
            values[slot] = value;
            return old;
        }
        if (others == null) {
            others = new LinkedHashMap<>();
        }
        return others.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        if (names.slot(key) >= 0) {
            throw new UnsupportedOperationException("a row's own column cannot be removed: " + key);
        }
        return others == null ? null : others.remove(key);
    }

    @Override
    public int size() {
        return values.length + (others == null ? 0 : others.size());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return FixedRow.this.size();
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, Object>> rest = others == null ? null : others.entrySet().iterator();
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length || rest != null && rest.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next < values.length) {
                            int slot = next++;
                            return new Slot(slot);
                        }
                        if (rest == null) {
                            throw new NoSuchElementException();
                        }
                        return rest.next();
                    }
                };
            }
        };
    }

    /** An entry that reads and writes its position of the row. */
    private final class Slot implements Entry<String, Object> {
        private final int slot;

        Slot(int slot) {
            this.slot = slot;
        }

        @Override
        public String getKey() {
            return names.names[slot];
        }

        @Override
        public Object getValue() {
            return values[slot];
        }

        @Override
        public Object setValue(Object value) {
            Object old = values[slot];
            values[slot] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry<?, ?> e && Objects.equals(getKey(), e.getKey())
                    && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }
}
