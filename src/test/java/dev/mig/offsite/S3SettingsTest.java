package dev.mig.offsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mig.MigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** How the AWS CLI's variables configure mig's S3 client (the real server tests are in ObjectStorageTest). */
class S3SettingsTest {
    @Test
    void anEndpointMeansPathStyleUnlessSaidOtherwise() {
        assertTrue(S3Settings.from(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000")).pathStyle());
        assertTrue(S3Settings.from(Map.of("AWS_ENDPOINT_URL", "http://minio:9000")).pathStyle(), "AWS_ENDPOINT_URL too");
        assertFalse(S3Settings.from(Map.of("AWS_ENDPOINT_URL_S3", "https://r2.example", "MIG_S3_PATH_STYLE", "false")).pathStyle());
        assertFalse(S3Settings.from(Map.of()).pathStyle(), "AWS itself: virtual-hosted");
        assertEquals("http://127.0.0.1:9000", S3Settings.from(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000",
                "AWS_ENDPOINT_URL", "http://other")).endpoint().toString(), "the S3-specific variable wins, as in the CLI");
        assertEquals("eu-west-1", S3Settings.from(Map.of("AWS_DEFAULT_REGION", "eu-west-1")).region());
    }

    @Test
    void serverSideEncryptionGoesOnEveryUploadAndTheManifest() {
        S3Settings kms = S3Settings.from(Map.of("MIG_S3_SSE", "aws:kms", "MIG_S3_KMS_KEY_ID", "arn:aws:kms:eu-west-1:1:key/k"));
        CreateMultipartUploadRequest.Builder upload = CreateMultipartUploadRequest.builder().bucket("b").key("k");
        kms.encrypt(upload);
        assertEquals(ServerSideEncryption.AWS_KMS, upload.build().serverSideEncryption());
        assertEquals("arn:aws:kms:eu-west-1:1:key/k", upload.build().ssekmsKeyId());
        PutObjectRequest.Builder manifest = PutObjectRequest.builder().bucket("b").key("k.manifest.json");
        S3Settings.from(Map.of("MIG_S3_SSE", "AES256")).encrypt(manifest);
        assertEquals(ServerSideEncryption.AES256, manifest.build().serverSideEncryption());
        PutObjectRequest.Builder plain = PutObjectRequest.builder().bucket("b").key("k");
        S3Settings.from(Map.of()).encrypt(plain);
        assertNull(plain.build().serverSideEncryption());
        MigException bad = assertThrows(MigException.class, () -> S3Settings.from(Map.of("MIG_S3_SSE", "yes")));
        assertEquals("MIG_S3_SSE is 'yes': AES256 (SSE-S3) or aws:kms (with MIG_S3_KMS_KEY_ID)", bad.getMessage());
    }

    @Test
    void secretsNeverPrintAndNeverComeFromAUri() {
        S3Settings s = S3Settings.from(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY", "s3cr3t"));
        assertFalse(s.toString().contains("s3cr3t") || s.toString().contains("AKIAEXAMPLE"), s.toString());
        MigException e = assertThrows(MigException.class, () -> S3Location.parse("s3://AKIA:s3cr3t@bucket/key"));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertEquals(new S3Location("bucket", "a/b.jsonl.gz"), S3Location.parse("s3://bucket/a/b.jsonl.gz"));
        assertThrows(MigException.class, () -> S3Location.parse("s3://bucket/"));
    }
}
