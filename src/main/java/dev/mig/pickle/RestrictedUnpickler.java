package dev.mig.pickle;

import dev.mig.pickle.Pickles.Model;
import dev.mig.pickle.Pickles.PickleRefused;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * razorvine's Unpickler with every way a pickle names a class or calls something checked first: GLOBAL and
 * STACK_GLOBAL may name only the classes of {@link #ALLOWED}, which unpickle into inert {@link Model}s; the
 * opcodes that reach code by other roads (INST, OBJ, persistent ids, the extension registry) are refused.
 * REDUCE, NEWOBJ and BUILD then only ever meet the constructors pushed here.
 */
final class RestrictedUnpickler extends Unpickler implements AutoCloseable {
    /** The classes a pickled Qdrant point is made of (qdrant-client's local persistence, pydantic 1 or 2). */
    static final Set<String> MODELS = Set.of("qdrant_client.http.models.models.PointStruct",
            "qdrant_client.http.models.models.SparseVector", "uuid.UUID");
    private static final Set<String> SETS = Set.of("builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset");
    /** Every class a pickle may name; anything else is refused before it is looked up. */
    static final Set<String> ALLOWED;

    static {
        Set<String> all = new HashSet<>(MODELS);
        all.addAll(SETS);
        all.add("uuid.SafeUUID");
        ALLOWED = Set.copyOf(all);
    }

    private static final short BINFLOAT = 'G';
    private static final short MARK = '(';
    private static final short APPENDS = 'e';
    private static final short APPEND = 'a';
    private static final short GLOBAL = 'c';
    private static final short STACK_GLOBAL = 0x93;
    private static final short INST = 'i';
    private static final short OBJ = 'o';
    private static final short PERSID = 'P';
    private static final short BINPERSID = 'Q';
    private static final short EXT1 = 0x82;
    private static final short EXT2 = 0x83;
    private static final short EXT4 = 0x84;

    private Bytes bytes;
    /** Plain data only (mem0's FAISS docstore): no class but set and frozenset. */
    private final boolean plain;

    RestrictedUnpickler() {
        this(false);
    }

    RestrictedUnpickler(boolean plain) {
        this.plain = plain;
    }

    /** Reads {@code pickle} (one whole value) from an unsynchronized stream of its bytes. */
    Object read(byte[] pickle) throws IOException {
        bytes = new Bytes(pickle);
        return load(bytes);
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case BINFLOAT -> { // a vector is mostly these: read in place, without a byte[8] each
                stack.add(Double.longBitsToDouble(bytes.bigEndianLong()));
                return NO_RETURN_VALUE;
            }
            case MARK -> {
                Object top = stack.size() > 0 ? stack.peek() : null;
                if (bytes.peek() == BINFLOAT && (top instanceof PickledFloats || top instanceof ArrayList<?> l && l.isEmpty())) {
                    floatRun(top);
                } else {
                    if (top instanceof PickledFloats floats) {
                        replace(floats, boxed(floats)); // what follows is not a run of floats: an ordinary list again
                    }
                    stack.add_mark();
                }
                return NO_RETURN_VALUE;
            }
            case APPEND -> {
                Object item = stack.pop();
                if (stack.peek() instanceof PickledFloats floats) {
                    replace(floats, boxed(floats));
                }
                stack.add(item);
                return super.dispatch(key);
            }
            case GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(constructor(module, name));
                return NO_RETURN_VALUE;
            }
            case STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleRefused("a malformed pickle: STACK_GLOBAL without a module and a name");
                }
                stack.add(constructor(m, n));
                return NO_RETURN_VALUE;
            }
            case INST, OBJ -> throw new PickleRefused("the pickle builds an object with INST/OBJ (protocol 0/1 classes), "
                    + "which no pickle mig reads (a Qdrant point, a FAISS docstore) has");
            case PERSID, BINPERSID -> throw new PickleRefused("the pickle refers to a persistent id, which no pickle mig reads (a Qdrant point, a FAISS docstore) has");
            case EXT1, EXT2, EXT4 -> throw new PickleRefused("the pickle names a class through the extension registry, which "
                    + "no pickle mig reads has");
            default -> {
                return super.dispatch(key);
            }
        }
    }

    /**
     * MARK, then floats, then APPENDS onto the list below the mark: how pickle writes a list of floats, in
     * runs of up to 1000 (an embedding). The floats go into a {@link PickledFloats} that takes the fresh
     * list's place (on the stack and in the memo). A run that ends in another opcode than APPENDS is put back
     * as MARK and BINFLOAT would have left it, on an ordinary list.
     */
    private void floatRun(Object top) throws IOException {
        PickledFloats floats;
        if (top instanceof PickledFloats f) {
            floats = f;
        } else {
            floats = new PickledFloats();
            replace(top, floats);
        }
        int start = floats.size();
        while (bytes.peek() == BINFLOAT) {
            bytes.skip1();
            floats.add(Double.longBitsToDouble(bytes.bigEndianLong()));
        }
        if (bytes.peek() == APPENDS) {
            bytes.skip1();
            return;
        }
        ArrayList<Object> list = new ArrayList<>(floats.subList(0, start));
        replace(floats, list);
        stack.add_mark();
        for (int i = start; i < floats.size(); i++) {
            stack.add(floats.at(i));
        }
    }

    private static ArrayList<Object> boxed(PickledFloats floats) {
        return new ArrayList<>(floats);
    }

    /** {@code now} in the place of {@code was}: the top of the stack, and every memo entry that holds it. */
    private void replace(Object was, Object now) {
        stack.pop();
        stack.add(now);
        for (Map.Entry<Integer, Object> e : memo.entrySet()) {
            if (e.getValue() == was) {
                e.setValue(now);
            }
        }
    }

    private IObjectConstructor constructor(String module, String name) {
        String qualified = module + "." + name;
        if (plain && !SETS.contains(qualified)) {
            throw new PickleRefused("the pickle loads " + qualified + ", where mem0's FAISS docstore holds only dicts, lists, text "
                    + "and numbers: refused, nothing of it was run");
        }
        if (!ALLOWED.contains(qualified)) {
            throw new PickleRefused("the pickle loads " + qualified + ", which is not one of the classes a Qdrant point is made of "
                    + "(PointStruct, SparseVector, UUID): refused, nothing of it was run");
        }
        if (SETS.contains(qualified)) {
            return args -> {
                Set<Object> out = new HashSet<>();
                if (args.length == 1 && args[0] instanceof Iterable<?> items) {
                    items.forEach(out::add);
                }
                return out;
            };
        }
        if (qualified.equals("uuid.SafeUUID")) {
            return args -> Map.of(); // an enum's value: part of a UUID's state, ignored
        }
        return args -> {
            if (args.length != 0) {
                throw new PickleRefused(qualified + " is built with arguments, not as pydantic pickles a model");
            }
            return new Model(qualified);
        };
    }

    @Override
    public void close() {
        super.close();
    }

    /** A pickle's bytes as a stream without ByteArrayInputStream's lock on every byte. */
    private static final class Bytes extends InputStream {
        private final byte[] data;
        private int at;

        Bytes(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return at < data.length ? data[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (at >= data.length) {
                return -1;
            }
            int n = Math.min(length, data.length - at);
            System.arraycopy(data, at, into, offset, n);
            at += n;
            return n;
        }

        /** The next byte, not consumed (-1 at the end). */
        int peek() {
            return at < data.length ? data[at] & 0xff : -1;
        }

        void skip1() {
            at++;
        }

        long bigEndianLong() throws IOException {
            if (at + 8 > data.length) {
                throw new EOFException("a float cut short");
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (data[at++] & 0xff);
            }
            return v;
        }
    }
}
