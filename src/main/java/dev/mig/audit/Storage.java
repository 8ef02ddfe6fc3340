package dev.mig.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where a backup or archive and its manifest live: a local file, or an object in S3-compatible storage
 * (dev.mig.offsite). What {@link #create} writes stays invisible until {@link #commit} (a temp file renamed
 * into place; a multipart upload completed), so a crash never leaves half a backup that looks whole.
 */
public interface Storage {
    /** The path or s3:// URI, for messages and registries (never a credential). */
    String location();

    boolean exists() throws IOException;

    /** A new, still invisible version of the data. */
    OutputStream create() throws IOException;

    /** Makes what {@link #create} wrote the data, replacing any earlier. */
    void commit() throws IOException;

    /** Discards what {@link #create} wrote; the earlier data, if any, stays. */
    void abort();

    InputStream open() throws IOException;

    void writeManifest(byte[] json) throws IOException;

    /** The manifest's bytes, or null when there is none. */
    byte[] readManifest() throws IOException;

    /** Where the manifest is, for messages. */
    String manifestLocation();
}
