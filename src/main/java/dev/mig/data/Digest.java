package dev.mig.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * An order-independent table digest: the row count and the sum (mod 2^64) of the first 8 bytes of
 * each row's sha256 over its canonical text. Sums, unlike XOR, do not cancel duplicate rows.
 */
public final class Digest {
    private long rows;
    private long sum;

    public void add(String canonicalRow) {
        rows++;
        sum += rowHash(canonicalRow);
    }

    /** A row whose hash was computed elsewhere (inside the database). */
    public void addHash(long rowHash) {
        rows++;
        sum += rowHash;
    }

    /** Rows and the sum of their hashes (mod 2^64), as a database aggregate gives them. */
    public void add(long rowCount, long hashSum) {
        rows += rowCount;
        sum += hashSum;
    }

    public void add(Digest other) {
        rows += other.rows;
        sum += other.sum;
    }

    /** One MessageDigest a thread: looking one up per row costs more than hashing the row. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(DigestUtils::getSha256Digest);

    public static long rowHash(String canonicalRow) {
        MessageDigest sha = SHA256.get();
        return ByteBuffer.wrap(sha.digest(Canonical.utf8(canonicalRow))).getLong();
    }

    public long rows() {
        return rows;
    }

    /** {@code rows:16-hex-digits}, e.g. {@code 5000:9f3c01d2a4b5c6e7}. */
    @Override
    public String toString() {
        return rows + ":" + String.format("%016x", sum);
    }
}
