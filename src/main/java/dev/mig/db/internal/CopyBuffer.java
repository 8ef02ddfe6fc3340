package dev.mig.db.internal;

import java.util.Arrays;

/** The growing byte buffer a COPY batch is encoded into (text or binary), reused from batch to batch. */
abstract class CopyBuffer {
    protected byte[] bytes = new byte[1 << 16];
    protected int length;

    void clear() {
        // A buffer the batches fill is kept (growing it again each batch is what the collector pays for);
        // one that a batch of rare huge values left behind (over four times what the last batch used) is let go.
        if (bytes.length > 1 << 22 && length < bytes.length / 4) {
            bytes = new byte[1 << 16];
        }
        length = 0;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    protected void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
