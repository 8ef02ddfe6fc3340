package dev.mig.offsite;

import dev.mig.MigException;

/** {@code s3://bucket/key}: where a backup lives in S3-compatible object storage. */
public record S3Location(String bucket, String key) {
    public static boolean is(String location) {
        return location != null && location.regionMatches(true, 0, "s3://", 0, 5);
    }

    public static S3Location parse(String location) {
        String rest = location.substring(5);
        int slash = rest.indexOf('/');
        if (rest.contains("@")) {
            throw new MigException(location.replaceAll("//[^@/]*@", "//***@") + ": credentials do not belong in an s3:// URI; "
                    + "mig reads them from the standard AWS provider chain (AWS_ACCESS_KEY_ID, a profile, an instance role)");
        }
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new MigException("'" + location + "' is not an object URI: write s3://bucket/path/file.jsonl.gz");
        }
        return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
