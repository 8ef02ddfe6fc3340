package dev.mig.run.verify;

import dev.mig.data.Compare;
import dev.mig.run.verify.ChecksumSides.Entry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A side whose key the map computes (unpickle(id) -> id: a local Qdrant's base64 keys become UUIDs) cannot
 * be read in key order; this one reads it as stored and gives its entries back in key order: runs of
 * {@link #RUN} entries (key and row hash only) sorted in memory and written to temporary files, then merged.
 * Memory stays one run, whatever the table's size; the files are deleted on close.
 */
final class SortedSide implements ChecksumSides.Side {
    static final int RUN = 200_000;
    private static final Comparator<Entry> BY_KEY = (a, b) -> Compare.keys(a.key(), b.key());

    private final List<Path> files = new ArrayList<>();
    private final List<DataInputStream> inputs = new ArrayList<>();
    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> BY_KEY.compare(a.entry, b.entry));
    private final List<String> keyNames;

    private record Head(Entry entry, int run) {
    }

    SortedSide(ChecksumSides.Side unordered, List<String> keyNames) throws SQLException {
        this.keyNames = keyNames;
        try (unordered) {
            List<Entry> run = new ArrayList<>();
            for (Entry e = unordered.next(); e != null; e = unordered.next()) {
                run.add(new Entry(e.key(), e.hash(), e.keyNames(), null));
                if (run.size() == RUN) {
                    spill(run);
                }
            }
            spill(run);
            for (int i = 0; i < files.size(); i++) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(files.get(i)), 1 << 16));
                inputs.add(in);
                advance(i);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("the checksum's sort files (" + System.getProperty("java.io.tmpdir") + ")", e);
        }
    }

    private void spill(List<Entry> run) throws IOException {
        if (run.isEmpty()) {
            return;
        }
        run.sort(BY_KEY);
        Path file = Files.createTempFile("mig-checksum-", ".run");
        files.add(file);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (Entry e : run) {
                out.writeLong(e.hash());
                out.writeShort(e.key().size());
                for (Object k : e.key()) {
                    write(out, k);
                }
            }
        }
        run.clear();
    }

    private static void write(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(0);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            out.writeByte(1);
            out.writeLong(((Number) v).longValue());
        } else if (v instanceof BigDecimal || v instanceof Double || v instanceof Float) {
            out.writeByte(2);
            out.writeUTF(v.toString());
        } else {
            out.writeByte(3); // text and anything compared as its text (a UUID)
            byte[] text = v.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
    }

    private static Object read(DataInputStream in) throws IOException {
        return switch (in.readByte()) {
            case 0 -> null;
            case 1 -> in.readLong();
            case 2 -> new BigDecimal(in.readUTF());
            default -> {
                byte[] text = new byte[in.readInt()];
                in.readFully(text);
                yield new String(text, StandardCharsets.UTF_8);
            }
        };
    }

    private void advance(int run) throws IOException {
        DataInputStream in = inputs.get(run);
        long hash;
        try {
            hash = in.readLong();
        } catch (EOFException end) {
            return;
        }
        int parts = in.readShort();
        List<Object> key = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            key.add(read(in));
        }
        heads.add(new Head(new Entry(key, hash, keyNames, null), run));
    }

    @Override
    public Entry next() throws SQLException {
        Head head = heads.poll();
        if (head == null) {
            return null;
        }
        try {
            advance(head.run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return head.entry;
    }

    @Override
    public void close() {
        for (DataInputStream in : inputs) {
            try {
                in.close();
            } catch (IOException ignored) {
                // deleting the files matters more
            }
        }
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
