package dev.mig.offsite;

import dev.mig.audit.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * A backup as an object: written as a multipart upload, one part of {@link #PART_SIZE} bytes in memory at a
 * time whatever the table's size, completed only when the whole stream was written (an interrupted or
 * failed upload is aborted, or - after kill -9 - stays an incomplete upload, never an object); the
 * manifest is the object KEY.manifest.json, written after the data.
 */
public final class S3Storage implements Storage {
    /** The size of each uploaded part (S3 needs at least 5 MiB for all but the last). */
    static final int PART_SIZE = 8 * 1024 * 1024;

    private final S3Client s3;
    private final S3Location where;
    private final S3Settings settings;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();

    S3Storage(S3Client s3, S3Location where, S3Settings settings) {
        this.s3 = s3;
        this.where = where;
        this.settings = settings;
    }

    @Override
    public String location() {
        return where.toString();
    }

    @Override
    public boolean exists() throws IOException {
        return head(where.key());
    }

    private boolean head(String key) throws IOException {
        try {
            s3.headObject(HeadObjectRequest.builder().bucket(where.bucket()).key(key).build());
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw S3Errors.io("s3://" + where.bucket() + "/" + key, e);
        } catch (RuntimeException e) {
            throw S3Errors.io(location(), e);
        }
    }

    @Override
    public OutputStream create() throws IOException {
        try {
            abortStaleUploads();
            CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(where.bucket()).key(where.key())
                    .contentType("application/gzip");
            settings.encrypt(request);
            uploadId = s3.createMultipartUpload(request.build()).uploadId();
        } catch (RuntimeException e) {
            throw S3Errors.io(location(), e);
        }
        parts.clear();
        return new PartStream();
    }

    /** Uploads an earlier run left incomplete for this key (killed mid-upload): not objects, but they cost storage. */
    private void abortStaleUploads() {
        try {
            for (MultipartUpload u : s3.listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(where.bucket())
                    .prefix(where.key()).build()).uploads()) {
                if (u.key().equals(where.key())) {
                    s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(where.bucket()).key(u.key())
                            .uploadId(u.uploadId()).build());
                }
            }
        } catch (S3Exception e) {
            // a store that cannot list uploads: nothing to tidy, the new upload does not depend on it
        }
    }

    /** Buffers one part and uploads it when full; close uploads the last (short) part. */
    private final class PartStream extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(PART_SIZE);

        @Override
        public void write(int b) throws IOException {
            buffer.write(b);
            if (buffer.size() >= PART_SIZE) {
                upload();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, PART_SIZE - buffer.size());
                buffer.write(b, off, n);
                off += n;
                len -= n;
                if (buffer.size() >= PART_SIZE) {
                    upload();
                }
            }
        }

        private void upload() throws IOException {
            int number = parts.size() + 1;
            try {
                String etag = s3.uploadPart(UploadPartRequest.builder().bucket(where.bucket()).key(where.key()).uploadId(uploadId)
                        .partNumber(number).build(), RequestBody.fromBytes(buffer.toByteArray())).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            } catch (RuntimeException e) {
                throw S3Errors.io(location() + " (part " + number + ")", e);
            }
            buffer.reset();
        }

        @Override
        public void close() throws IOException {
            if (buffer.size() > 0 || parts.isEmpty()) {
                upload();
            }
        }
    }

    @Override
    public void commit() throws IOException {
        try {
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(where.bucket()).key(where.key()).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
            uploadId = null;
        } catch (RuntimeException e) {
            throw S3Errors.io(location(), e);
        }
    }

    @Override
    public void abort() {
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(where.bucket()).key(where.key())
                        .uploadId(uploadId).build());
            } catch (RuntimeException ignored) {
                // the upload stays incomplete: never an object; the next upload to this key aborts it
            }
            uploadId = null;
        }
    }

    @Override
    public InputStream open() throws IOException {
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(where.bucket()).key(where.key()).build());
        } catch (RuntimeException e) {
            throw S3Errors.io(location(), e);
        }
    }

    private String manifestKey() {
        return where.key() + ".manifest.json";
    }

    @Override
    public void writeManifest(byte[] json) throws IOException {
        try {
            PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(where.bucket()).key(manifestKey())
                    .contentType("application/json");
            settings.encrypt(request);
            s3.putObject(request.build(), RequestBody.fromBytes(json));
        } catch (RuntimeException e) {
            throw S3Errors.io(manifestLocation(), e);
        }
    }

    @Override
    public byte[] readManifest() throws IOException {
        if (!head(manifestKey())) {
            return null;
        }
        try {
            return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(where.bucket()).key(manifestKey()).build()).asByteArray();
        } catch (RuntimeException e) {
            throw S3Errors.io(manifestLocation(), e);
        }
    }

    @Override
    public String manifestLocation() {
        return "s3://" + where.bucket() + "/" + manifestKey();
    }
}
