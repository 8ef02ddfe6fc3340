package dev.mig.offsite;

import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What went wrong with object storage, in words an operator can act on (no credential ever in them). */
final class S3Errors {
    private S3Errors() {
    }

    static IOException io(String where, RuntimeException e) {
        return new IOException(where + ": " + explain(e), e);
    }

    static String explain(RuntimeException e) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code) || s.statusCode() == 404 && code == null) {
                return "no such bucket (" + s.statusCode() + ")";
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)
                    || s.statusCode() == 403) {
                return "access denied (" + (code == null ? s.statusCode() : code) + "): check the credentials mig found in the "
                        + "standard AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, the instance role) and the "
                        + "bucket's policy";
            }
            return (code == null ? "HTTP " + s.statusCode() : code) + ": " + (s.awsErrorDetails() == null ? s.getMessage()
                    : s.awsErrorDetails().errorMessage());
        }
        if (e instanceof SdkClientException c) {
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (m.contains("Unable to load credentials")) {
                return "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run where a role provides "
                        + "them (mig never reads them from a script)";
            }
            return "cannot reach the object store: " + m;
        }
        return String.valueOf(e.getMessage());
    }
}
