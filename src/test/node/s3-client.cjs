// A second, independent S3 client for mig's object storage tests: the AWS SDK for JavaScript v3.
// usage: node s3-client.cjs COMMAND JSON_ARGS   (endpoint and credentials from the environment, as the AWS CLI reads them)
//   list {bucket, prefix}        -> [{key, size}]
//   get  {bucket, key, file}     -> {bytes}  (the object written to file)
//   head {bucket, key}           -> {exists, size}
const fs = require("fs");
const { S3Client, ListObjectsV2Command, GetObjectCommand, HeadObjectCommand } = require("@aws-sdk/client-s3");

const s3 = new S3Client({
  endpoint: process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL,
  region: process.env.AWS_REGION || "us-east-1",
  forcePathStyle: true,
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
});

async function main() {
  const [command, json] = process.argv.slice(2);
  const args = JSON.parse(json || "{}");
  switch (command) {
    case "list": {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: args.bucket, Prefix: args.prefix || "" }));
      return (r.Contents || []).map((o) => ({ key: o.Key, size: o.Size }));
    }
    case "get": {
      const r = await s3.send(new GetObjectCommand({ Bucket: args.bucket, Key: args.key }));
      const bytes = Buffer.from(await r.Body.transformToByteArray());
      fs.writeFileSync(args.file, bytes);
      return { bytes: bytes.length };
    }
    case "head": {
      try {
        const r = await s3.send(new HeadObjectCommand({ Bucket: args.bucket, Key: args.key }));
        return { exists: true, size: r.ContentLength };
      } catch (e) {
        if (e.$metadata && e.$metadata.httpStatusCode === 404) return { exists: false };
        throw e;
      }
    }
    default:
      throw new Error("unknown command " + command);
  }
}

main().then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });
