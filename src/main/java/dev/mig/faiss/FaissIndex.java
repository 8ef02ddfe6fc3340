package dev.mig.faiss;

import dev.mig.MigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code <collection>.faiss} file as mem0's faiss.py writes it ({@code faiss.write_index} of an
 * IndexFlatL2 or IndexFlatIP): a header (fourcc, d, ntotal, metric), then ntotal x d float32 values,
 * little-endian, row by row. A row's values are read where they lie, as the bytes FAISS holds, never the
 * whole file at once. Any other index type (IVF, HNSW, an id map) is refused: mem0 never writes one.
 */
public final class FaissIndex implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final int dims;
    private final long count;
    private final String metric;
    private final long dataStart;

    private FaissIndex(Path file, FileChannel channel, int dims, long count, String metric, long dataStart) {
        this.file = file;
        this.channel = channel;
        this.dims = dims;
        this.count = count;
        this.metric = metric;
        this.dataStart = dataStart;
    }

    public static FaissIndex open(Path file) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // read the header (at most 64 bytes; a flat index's is 41 to 49)
            }
            head.flip();
            if (head.remaining() < 41) {
                throw refused(file, "too short for a FAISS index (" + channel.size() + " bytes)");
            }
            byte[] fourcc = new byte[4];
            head.get(fourcc);
            String type = new String(fourcc, StandardCharsets.ISO_8859_1);
            if (!type.equals("IxF2") && !type.equals("IxFI") && !type.equals("IxFl")) {
                throw refused(file, "a FAISS index of type '" + printable(type) + "', not the flat index (IxF2, IxFI) mem0's faiss.py "
                        + "writes");
            }
            int dims = head.getInt();
            long count = head.getLong();
            head.getLong(); // two unused fields of faiss's header (1 << 20 each)
            head.getLong();
            head.get(); // is_trained
            int metricType = head.getInt();
            if (metricType > 1) {
                head.getFloat(); // metric_arg
            }
            long floats = head.getLong();
            long dataStart = head.position();
            String metric = switch (metricType) {
                case 0 -> "inner product";
                case 1 -> "L2";
                default -> "metric " + metricType;
            };
            if (dims <= 0 || count < 0 || floats != count * dims) {
                throw refused(file, "a damaged header (d " + dims + ", ntotal " + count + ", " + floats + " values)");
            }
            long expected = dataStart + floats * 4;
            if (channel.size() != expected) {
                throw refused(file, channel.size() + " bytes where " + count + " x " + dims + " float32 values make " + expected
                        + " (the file is cut or has something after the index)");
            }
            return new FaissIndex(file, channel, dims, count, metric, dataStart);
        } catch (IOException e) {
            close(channel);
            throw new MigException("cannot read the FAISS index " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static MigException refused(Path file, String why) {
        return new MigException("the FAISS index " + file + " is " + why);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void close(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
    }

    public Path file() {
        return file;
    }

    public int dims() {
        return dims;
    }

    /** ntotal: the rows the index holds, including rows no memory points to any more. */
    public long count() {
        return count;
    }

    /** "L2" (IndexFlatL2: mem0's euclidean) or "inner product" (IndexFlatIP: mem0's inner_product and cosine). */
    public String metric() {
        return metric;
    }

    /** Row {@code row}'s values as little-endian float32 bytes, exactly as stored; null for a row the index lacks. */
    public byte[] row(long row) {
        if (row < 0 || row >= count) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(dims * 4);
        long at = dataStart + row * dims * 4L;
        try {
            while (out.hasRemaining()) {
                int n = channel.read(out, at + out.position()); // positional: safe from several threads
                if (n < 0) {
                    throw new MigException("the FAISS index " + file + " ended inside row " + row);
                }
            }
        } catch (IOException e) {
            throw new MigException("cannot read row " + row + " of the FAISS index " + file + ": " + e.getMessage(), e);
        }
        return out.array();
    }

    @Override
    public void close() {
        close(channel);
    }
}
