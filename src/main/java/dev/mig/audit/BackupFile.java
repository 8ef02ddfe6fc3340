package dev.mig.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.MigException;
import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.data.InvalidText;
import dev.mig.data.LogicalType;
import dev.mig.data.Values;
import dev.mig.data.Vector;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * A table's rows as gzip'd JSON lines, plus a manifest beside it ({@code FILE.manifest.json}:
 * columns and types, row count, table digest, sha256 of the file). Both are written to a temp file
 * readable by the owner only and renamed into place, so a crash never leaves half a backup.
 */
public final class BackupFile {
    public static final String FORMAT = "mig-backup/1";

    /** What the manifest records. */
    public record Manifest(String table, String dialect, List<Column> columns, long rows, String digest, String sha256,
                           String createdAt) {
        public Map<String, LogicalType> types() {
            Map<String, LogicalType> out = new LinkedHashMap<>();
            for (Column c : columns) {
                out.put(c.name(), c.type());
            }
            return out;
        }
    }

    /** Receives rows read back from a backup file. */
    public interface RowSink {
        void row(Map<String, Object> row) throws Exception;
    }

    /** Feeds rows to a writer. */
    public interface RowSource {
        void rows(RowSink sink) throws Exception;
    }

    private BackupFile() {
    }

    public static Path manifestPath(Path file) {
        return Path.of(file + ".manifest.json");
    }

    /** Writes the rows the source yields and the manifest; returns the manifest. */
    public static Manifest write(Path file, TableInfo table, String dialect, RowSource source) {
        return write(new LocalStorage(file), table, dialect, source);
    }

    /**
     * Writes the rows the source yields, then the manifest, to a file or an object: streamed (a local temp file,
     * or a multipart upload a part at a time), made visible only when whole; on any failure nothing that looks
     * like a backup is left.
     */
    public static Manifest write(Storage storage, TableInfo table, String dialect, RowSource source) {
        boolean committed = false;
        try {
            MessageDigest sha = sha256();
            Digest digest = new Digest();
            long[] rows = {0};
            Map<String, LogicalType> types = table.types();
            try (OutputStream raw = storage.create();
                 DigestOutputStream hashed = new DigestOutputStream(raw, sha);
                 GZIPOutputStream gzip = new GZIPOutputStream(hashed, 1 << 16);
                 JsonGenerator json = Values.JSON.getFactory().createGenerator(gzip)) {
                json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                source.rows(row -> {
                    ObjectNode line = Values.JSON.createObjectNode();
                    row.forEach((k, v) -> line.set(k, Values.toJson(v)));
                    Values.JSON.writeTree(json, line);
                    json.writeRaw('\n');
                    digest.add(Canonical.row(row, types));
                    rows[0]++;
                });
                json.flush();
            }
            Manifest manifest = new Manifest(table.name(), dialect, table.columns(), rows[0], digest.toString(),
                    HexFormat.of().formatHex(sha.digest()), Instant.now().toString());
            storage.commit();
            committed = true;
            storage.writeManifest(manifestJson(storage, manifest));
            return manifest;
        } catch (MigException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new MigException("cannot write " + storage.location() + ": permission denied on " + e.getFile(), e);
        } catch (FileSystemException e) {
            throw new MigException("cannot write " + storage.location() + ": " + e.getReason() + " (" + e.getFile() + ")", e);
        } catch (Exception e) {
            throw new MigException("cannot write " + storage.location() + ": " + Database.rootMessage(e), e);
        } finally {
            if (!committed) {
                storage.abort();
            }
        }
    }

    private static byte[] manifestJson(Storage storage, Manifest m) throws IOException {
        ObjectNode node = Values.JSON.createObjectNode();
        node.put("format", FORMAT);
        String location = storage.location();
        node.put("file", location.substring(location.lastIndexOf('/') + 1));
        node.put("table", m.table());
        node.put("dialect", m.dialect());
        ArrayNode columns = node.putArray("columns");
        for (Column c : m.columns()) {
            ObjectNode col = columns.addObject();
            col.put("name", c.name());
            col.put("declared", c.declaredType());
            col.put("type", c.type().name().toLowerCase());
            col.put("pk", c.pkPosition());
            col.put("not_null", c.notNull());
        }
        node.put("rows", m.rows());
        node.put("digest", m.digest());
        node.put("sha256", m.sha256());
        node.put("created_at", m.createdAt());
        return (Values.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static Manifest readManifest(Path file) {
        return readManifest(new LocalStorage(file));
    }

    public static Manifest readManifest(Storage storage) {
        byte[] bytes;
        try {
            if (!storage.exists()) {
                throw new MigException("no backup file " + storage.location());
            }
            bytes = storage.readManifest();
        } catch (IOException e) {
            throw new MigException("cannot read " + storage.location() + ": " + Database.rootMessage(e), e);
        }
        String path = storage.manifestLocation();
        if (bytes == null) {
            throw new MigException("no manifest " + path + " beside the backup: cannot verify it");
        }
        try {
            JsonNode node = Values.JSON.readTree(bytes);
            if (!FORMAT.equals(node.path("format").asText())) {
                throw new MigException(path + " is not a mig backup manifest (format " + node.path("format") + ")");
            }
            List<Column> columns = new ArrayList<>();
            for (JsonNode c : node.path("columns")) {
                columns.add(new Column(c.path("name").asText(), c.path("declared").asText(),
                        LogicalType.valueOf(c.path("type").asText().toUpperCase()), c.path("pk").asInt(),
                        c.path("not_null").asBoolean()));
            }
            return new Manifest(node.path("table").asText(), node.path("dialect").asText(), columns,
                    node.path("rows").asLong(), node.path("digest").asText(), node.path("sha256").asText(),
                    node.path("created_at").asText());
        } catch (IOException e) {
            throw new MigException("cannot read the manifest " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the file against its manifest without touching any database: sha256 of the bytes,
     * a complete gzip stream, the row count and the digest of the rows.
     */
    public static void verify(Path file, Manifest manifest) {
        verify(new LocalStorage(file), manifest);
    }

    /** {@link #verify(Path, Manifest)} for any storage: the bytes read back (from the object store, for an object). */
    public static void verify(Storage file, Manifest manifest) {
        String sha = sha256Hex(file);
        if (!sha.equals(manifest.sha256())) {
            throw new MigException("backup " + file.location() + " does not match its manifest: sha256 is " + sha.substring(0, 12)
                    + "..., the manifest says " + abbreviate(manifest.sha256()) + " (the file is corrupt, truncated or edited)");
        }
        Digest digest = new Digest();
        Map<String, LogicalType> types = manifest.types();
        long rows = read(file, manifest, row -> digest.add(Canonical.row(row, types)));
        if (rows != manifest.rows() || !digest.toString().equals(manifest.digest())) {
            throw new MigException("backup " + file.location() + " does not match its manifest: " + rows + " rows with digest " + digest
                    + ", the manifest says " + manifest.rows() + " rows with digest " + manifest.digest());
        }
    }

    /** Streams the rows of a backup file (values converted back: base64 to bytes for binary columns). */
    public static long read(Path file, Manifest manifest, RowSink sink) {
        return read(new LocalStorage(file), manifest, sink);
    }

    public static long read(Storage file, Manifest manifest, RowSink sink) {
        long rows = 0;
        try (InputStream raw = file.open();
             GZIPInputStream gzip = new GZIPInputStream(raw, 1 << 16);
             BufferedReader reader = new BufferedReader(new InputStreamReader(gzip, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode node;
                try (JsonParser parser = Values.JSON.getFactory().createParser(line)) {
                    node = Values.JSON.readTree(parser);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (Column c : manifest.columns()) {
                    JsonNode v = node.get(c.name());
                    // A JSON column held as text (SQLite) was backed up as a string: it comes back as that text.
                    Object value = c.type() == LogicalType.JSON && v != null && v.isContainerNode() ? v : Values.fromJson(v);
                    if (c.type() == LogicalType.VECTOR && v != null && !v.isNull()) {
                        value = Vector.of(v); // the floats, from their decimal text
                    } else if (c.type() == LogicalType.BINARY && value instanceof String s) {
                        value = Base64.getDecoder().decode(s);
                    } else if (c.type() == LogicalType.TEXT && v != null && v.isObject() && v.size() == 1
                            && v.has(InvalidText.JSON_KEY)) { // text that was not UTF-8: its bytes
                        value = new InvalidText(HexFormat.of().parseHex(v.get(InvalidText.JSON_KEY).asText()));
                    }
                    row.put(c.name(), value);
                }
                sink.row(row);
                rows++;
            }
        } catch (EOFException | ZipException e) {
            throw new MigException("backup " + file.location() + " is truncated or not gzip: " + e.getMessage(), e);
        } catch (MigException e) {
            throw e;
        } catch (Exception e) {
            throw new MigException("cannot read backup " + file.location() + " at row " + (rows + 1) + ": "
                    + Database.rootMessage(e), e);
        }
        return rows;
    }

    public static String sha256Hex(Path file) {
        return sha256Hex(new LocalStorage(file));
    }

    public static String sha256Hex(Storage file) {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(file.open(), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new MigException("cannot read " + file.location() + ": " + Database.rootMessage(e), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 12 ? s.substring(0, 12) + "..." : s;
    }
}
