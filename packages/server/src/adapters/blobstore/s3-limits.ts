/** S3's smallest part (all but the last); apart from s3.ts so that parsing BLOB_STORE loads no AWS SDK. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
