package dev.mig.data;

import java.util.List;
import java.util.function.Function;

/**
 * The merge of two streams of rows that come sorted by key in the same order: each key is seen on
 * both sides, on the left only or on the right only, and a key repeated on the left is reported as a
 * duplicate. Memory for neither stream. What checksum's key-by-key comparison and the carry-back of a
 * rollback (in place and across databases) walk; keys compare as {@link Compare#keys}.
 */
public final class KeyMerge {
    private KeyMerge() {
    }

    /** A stream of rows: the next one, or null at the end. */
    public interface Cursor<T, E extends Exception> {
        T next() throws E;
    }

    /** What the merge found, key by key, in key order. */
    public interface Visitor<A, B, E extends Exception> {
        void both(A left, B right) throws E;

        void onlyLeft(A left) throws E;

        void onlyRight(B right) throws E;

        /** A left row whose key equals the one before it (and no right row's). */
        default void duplicateLeft(A left) throws E {
            onlyLeft(left);
        }
    }

    public static <A, B, E extends Exception> void merge(Cursor<A, E> left, Function<A, List<Object>> leftKey,
                                                         Cursor<B, E> right, Function<B, List<Object>> rightKey,
                                                         Visitor<A, B, E> visitor) throws E {
        A a = left.next();
        B b = right.next();
        List<Object> previous = null;
        while (a != null || b != null) {
            List<Object> ka = a == null ? null : leftKey.apply(a);
            int c = a == null ? 1 : b == null ? -1 : Compare.keys(ka, rightKey.apply(b));
            if (a != null && c != 0 && previous != null && Compare.keys(previous, ka) == 0) {
                visitor.duplicateLeft(a);
                a = left.next();
            } else if (c == 0) {
                visitor.both(a, b);
                previous = ka;
                a = left.next();
                b = right.next();
            } else if (c < 0) {
                visitor.onlyLeft(a);
                previous = ka;
                a = left.next();
            } else {
                visitor.onlyRight(b);
                b = right.next();
            }
        }
    }
}
