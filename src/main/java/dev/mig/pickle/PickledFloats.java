package dev.mig.pickle;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A Python list of floats as unpickled: the doubles in one array instead of a boxed Double each (a
 * 1,536-dim embedding is 1,536 BINFLOAT opcodes). A list like any other to whoever reads it.
 */
public final class PickledFloats extends AbstractList<Object> implements RandomAccess {
    private double[] values = new double[1024];
    private int size;

    void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    @Override
    public Object get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return values[index];
    }

    @Override
    public int size() {
        return size;
    }

    /** The value at {@code index} without boxing it. */
    public double at(int index) {
        return values[index];
    }
}
