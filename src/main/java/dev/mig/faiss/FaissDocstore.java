package dev.mig.faiss;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mig.MigException;
import dev.mig.pickle.Pickles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The docstore of mem0's FAISS store: which memory id each index row is (index_to_id) and each memory's
 * payload (docstore). mem0 from 2.0 keeps it as {@code <collection>.json} and reads that first; before, as
 * {@code <collection>.pkl}, a pickle of the tuple (docstore, index_to_id) of plain dicts. The JSON is read as
 * a stream; the pickle through mig's restricted unpickler, which here allows no class at all.
 */
public final class FaissDocstore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the entries go, in the file's order. */
    public interface Sink {
        void doc(String id, String payloadJson);

        void row(long row, String id);
    }

    private FaissDocstore() {
    }

    /** The docstore file mem0 reads for a collection: the JSON when it exists, else the pickle; null when neither does. */
    public static Path file(Path dir, String collection) {
        Path json = dir.resolve(collection + ".json");
        if (Files.isRegularFile(json)) {
            return json;
        }
        Path pkl = dir.resolve(collection + ".pkl");
        return Files.isRegularFile(pkl) ? pkl : null;
    }

    public static void read(Path file, Sink sink) {
        if (file.getFileName().toString().endsWith(".pkl")) {
            pickle(file, sink);
        } else {
            json(file, sink);
        }
    }

    private static void json(Path file, Sink sink) {
        try (JsonParser p = JSON.createParser(file.toFile())) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, file, "the docstore object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("docstore")) {
                    expect(p, value, JsonToken.START_OBJECT, file, "docstore: an object of memory id -> payload");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String id = p.currentName();
                        p.nextToken();
                        JsonNode payload = JSON.readTree(p);
                        sink.doc(id, payload == null || payload.isNull() ? null : payload.toString());
                    }
                } else if (field.equals("index_to_id")) {
                    expect(p, value, JsonToken.START_OBJECT, file, "index_to_id: an object of row -> memory id");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String row = p.currentName();
                        JsonToken id = p.nextToken();
                        if (id != JsonToken.VALUE_STRING) {
                            throw bad(file, p.currentLocation(), "index_to_id[" + row + "] is not a memory id (text)");
                        }
                        sink.row(rowNumber(file, row), p.getText());
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw bad(file, e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new MigException("cannot read the FAISS docstore " + file + ": " + e.getMessage(), e);
        }
    }

    private static void pickle(Path file, Sink sink) {
        Object value;
        try {
            value = Pickles.loadPlain(Files.readAllBytes(file));
        } catch (Pickles.PickleRefused e) {
            throw new MigException("the FAISS docstore " + file + " is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new MigException("cannot read the FAISS docstore " + file + ": " + e.getMessage(), e);
        }
        if (!(value instanceof Object[] pair) || pair.length != 2 || !(pair[0] instanceof Map<?, ?> docs)
                || !(pair[1] instanceof Map<?, ?> rows)) {
            throw new MigException("the FAISS docstore " + file + " is not the (docstore, index_to_id) pair of dicts mem0's faiss.py "
                    + "pickles");
        }
        for (Map.Entry<?, ?> e : docs.entrySet()) {
            if (!(e.getKey() instanceof String id)) {
                throw new MigException("the FAISS docstore " + file + " has a memory id that is not text: " + e.getKey());
            }
            try {
                sink.doc(id, e.getValue() == null ? null : Pickles.json(e.getValue()).toString());
            } catch (Pickles.PickleRefused refused) {
                throw new MigException("the FAISS docstore " + file + ": the payload of " + id + " is not JSON: " + refused.getMessage());
            }
        }
        for (Map.Entry<?, ?> e : rows.entrySet()) {
            if (!(e.getKey() instanceof Number row) || !(e.getValue() instanceof String id)) {
                throw new MigException("the FAISS docstore " + file + " has an index_to_id entry that is not row -> memory id: "
                        + e.getKey() + " -> " + e.getValue());
            }
            sink.row(row.longValue(), id);
        }
    }

    private static long rowNumber(Path file, String row) {
        try {
            return Long.parseLong(row);
        } catch (NumberFormatException e) {
            throw new MigException("the FAISS docstore " + file + " has an index_to_id key that is not a row number: '" + row + "'");
        }
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want, Path file, String what) {
        if (got != want) {
            throw bad(file, p.currentLocation(), "expected " + what);
        }
    }

    private static MigException bad(Path file, JsonLocation at, String why) {
        return new MigException(file + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": not mem0's FAISS docstore: " + why);
    }
}
