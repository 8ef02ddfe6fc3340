package dev.mig.offsite;

import dev.mig.MigException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * How to reach object storage, the way the AWS CLI reads it: credentials from the standard provider chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN], AWS_PROFILE, an instance or task role)
 * - never from a script; AWS_REGION (or AWS_DEFAULT_REGION, the profile); AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL for MinIO, Ceph, R2, B2 and the like, with path-style addressing when an endpoint is
 * set (MIG_S3_PATH_STYLE=false turns it off, true turns it on for AWS); server-side encryption with
 * MIG_S3_SSE=AES256 (SSE-S3) or MIG_S3_SSE=aws:kms with MIG_S3_KMS_KEY_ID.
 */
record S3Settings(String accessKey, String secretKey, String sessionToken, String region, URI endpoint, boolean pathStyle,
                  String sse, String kmsKeyId) {
    static S3Settings from(Map<String, String> env) {
        String endpoint = first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
        String pathStyle = env.get("MIG_S3_PATH_STYLE");
        String sse = env.get("MIG_S3_SSE");
        if (sse != null && !sse.equals("AES256") && !sse.equals("aws:kms")) {
            throw new MigException("MIG_S3_SSE is '" + sse + "': AES256 (SSE-S3) or aws:kms (with MIG_S3_KMS_KEY_ID)");
        }
        return new S3Settings(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN"),
                first(env, "AWS_REGION", "AWS_DEFAULT_REGION"), endpoint == null ? null : URI.create(endpoint),
                pathStyle == null ? endpoint != null : pathStyle.toLowerCase(Locale.ROOT).equals("true"), sse,
                env.get("MIG_S3_KMS_KEY_ID"));
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    S3Client client() {
        software.amazon.awssdk.services.s3.S3ClientBuilder b = S3Client.builder().credentialsProvider(credentials()).forcePathStyle(pathStyle);
        if (region != null) {
            b.region(Region.of(region));
        } else {
            try {
                b.region(new DefaultAwsRegionProviderChain().getRegion());
            } catch (RuntimeException none) {
                b.region(Region.US_EAST_1); // what the AWS CLI assumes for S3 too; an endpoint ignores it
            }
        }
        if (endpoint != null) {
            b.endpointOverride(endpoint);
            // S3-compatible servers do not all read the SDK's default trailing checksums (aws-chunked uploads):
            // send and check them only where an operation requires them, as the AWS CLI did before 2.23
            b.requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED);
            b.responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
            // and not every one decodes aws-chunked bodies (the SDK's default over plain HTTP): each part is in memory
            // anyway, so it is signed whole
            b.serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().chunkedEncodingEnabled(false).build());
        }
        return b.build();
    }

    private AwsCredentialsProvider credentials() {
        if (accessKey != null && secretKey != null) {
            return StaticCredentialsProvider.create(sessionToken == null ? AwsBasicCredentials.create(accessKey, secretKey)
                    : AwsSessionCredentials.create(accessKey, secretKey, sessionToken));
        }
        return DefaultCredentialsProvider.builder().build(); // profile, container, instance role
    }

    void encrypt(CreateMultipartUploadRequest.Builder request) {
        if (sse != null) {
            request.serverSideEncryption(ServerSideEncryption.fromValue(sse));
            if (kmsKeyId != null) {
                request.ssekmsKeyId(kmsKeyId);
            }
        }
    }

    void encrypt(PutObjectRequest.Builder request) {
        if (sse != null) {
            request.serverSideEncryption(ServerSideEncryption.fromValue(sse));
            if (kmsKeyId != null) {
                request.ssekmsKeyId(kmsKeyId);
            }
        }
    }

    @Override
    public String toString() {
        return "S3Settings[region=" + region + ", endpoint=" + endpoint + ", pathStyle=" + pathStyle + ", sse=" + sse + "]";
    }
}
