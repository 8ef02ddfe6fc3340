package dev.mig.offsite;

import dev.mig.MigException;
import dev.mig.audit.LocalStorage;
import dev.mig.audit.Storage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;

/** Where a backup, archive or receipt goes: a path (relative to the script's directory) or an s3:// URI. */
public final class Locations {
    /** One client per configuration (a client keeps its HTTP connections for the run's other statements). */
    private static final Map<S3Settings, S3Client> CLIENTS = new ConcurrentHashMap<>();

    private Locations() {
    }

    public static boolean isObject(String location) {
        return S3Location.is(location);
    }

    /** The storage for a location: s3://bucket/key (credentials and endpoint from env), else a path under base. */
    public static Storage open(String location, Map<String, String> env, Path base) {
        if (S3Location.is(location)) {
            S3Settings settings = S3Settings.from(env);
            return new S3Storage(CLIENTS.computeIfAbsent(settings, S3Settings::client), S3Location.parse(location), settings);
        }
        Path p = Path.of(location);
        return new LocalStorage(p.isAbsolute() ? p : base.resolve(p));
    }

    /**
     * Before any data is read: the bucket exists and the credentials may use it (HeadBucket). A wrong key, a
     * missing bucket or an unreachable endpoint is one clear error.
     */
    public static void checkReachable(String location, Map<String, String> env) {
        S3Location where = S3Location.parse(location);
        S3Settings settings = S3Settings.from(env);
        try {
            CLIENTS.computeIfAbsent(settings, S3Settings::client).headBucket(HeadBucketRequest.builder().bucket(where.bucket()).build());
        } catch (RuntimeException e) {
            throw new MigException("s3://" + where.bucket() + ": " + S3Errors.explain(e), e);
        }
    }
}
