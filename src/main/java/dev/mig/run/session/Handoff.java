package dev.mig.run.session;

import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A producer on a daemon thread of its own handing items to the caller through a bounded queue: how a
 * map reads its source ahead of the writes (Prefetch) and a checksum reads each side ahead of the merge
 * (ChecksumSides). Memory stays bounded by the queue; the producer's failure reaches the caller at its next
 * {@link #take}, as the SQLException it was (or unchecked); {@link #close} stops the producer at its next
 * item and waits for its thread, so the connection it read is free afterwards.
 */
public final class Handoff<T> implements AutoCloseable {
    /** What runs on the producer's thread, handing each item to the sink. */
    @FunctionalInterface
    public interface Producer<T> {
        void produce(Sink<T> sink) throws Exception;
    }

    /** Where the producer puts an item; waits while the queue is full, and throws once the handoff is closed. */
    @FunctionalInterface
    public interface Sink<T> {
        void put(T item) throws InterruptedException;
    }

    private static final Object END = new Object();
    private static final long JOIN_MILLIS = 30_000;

    private record Failure(Throwable cause) {
    }

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;

    public Handoff(String threadName, int capacity, Producer<T> producer) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> {
            try {
                producer.produce(this::put);
                put(END);
            } catch (Throwable t) {
                if (!closed) {
                    queue.clear(); // the caller sees the failure next, not the items before it
                    queue.offer(new Failure(t));
                }
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void put(Object item) throws InterruptedException {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("the handoff was closed");
            }
        }
        if (closed) {
            throw new InterruptedException("the handoff was closed");
        }
    }

    /** The next item; null after the last (and on every call after); the producer's failure thrown here. */
    @SuppressWarnings("unchecked")
    public T take() throws SQLException {
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted");
        }
        if (item == END) {
            queue.offer(END);
            return null;
        }
        if (item instanceof Failure f) {
            queue.offer(f);
            throw rethrow(f.cause());
        }
        return (T) item;
    }

    /** A failure as a caller that throws SQLException throws it: as it was, unchecked ones unchanged, anything else wrapped. */
    public static SQLException rethrow(Throwable t) {
        if (t instanceof SQLException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new SQLException(t);
    }

    /** Stops the producer at its next item and waits for its thread to end. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
