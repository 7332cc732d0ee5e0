/** No blob under this key. */
export class BlobNotFoundError extends Error {
  readonly code = 'ERR_BLOB_NOT_FOUND';
  readonly key: string;
  constructor(key: string, options?: ErrorOptions) {
    super(`no blob under the key "${key}"`, options);
    this.name = 'BlobNotFoundError';
    this.key = key;
  }
}

/** A range that starts at or past the end of the blob (HTTP 416). */
export class BlobRangeError extends Error {
  readonly code = 'ERR_RANGE_NOT_SATISFIABLE';
  readonly key: string;
  /** The blob's size, when the store learnt it. */
  readonly size: number | undefined;
  constructor(key: string, size: number | undefined, options?: ErrorOptions) {
    super(
      `range not satisfiable for the blob "${key}"${size === undefined ? '' : ` of ${size} bytes`}`,
      options,
    );
    this.name = 'BlobRangeError';
    this.key = key;
    this.size = size;
  }
}

/** A key or prefix that is not of the allowed shape; a programming error, never user input. */
export class InvalidBlobKeyError extends TypeError {
  readonly code = 'ERR_INVALID_BLOB_KEY';
  constructor(what: 'key' | 'prefix', value: string) {
    super(`invalid blob ${what} ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`);
    this.name = 'InvalidBlobKeyError';
  }
}

/** The source yielded a different number of bytes than `expectedSize` promised. */
export class BlobSizeMismatchError extends Error {
  readonly code = 'ERR_BLOB_SIZE_MISMATCH';
  readonly expected: number;
  /** Bytes read before the mismatch was noticed (more than expected stops reading at once). */
  readonly actual: number;
  constructor(expected: number, actual: number) {
    super(
      `the blob source yielded ${actual > expected ? 'more than' : 'only'} ${actual} bytes, expected ${expected}`,
    );
    this.name = 'BlobSizeMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The disk or the bucket's quota is full. Its code is the one the HTTP layer maps to
 * `ERR_STORAGE_FULL` (507); the original error is the cause.
 */
export class BlobStorageFullError extends Error {
  readonly code = 'ERR_STORAGE_FULL';
  constructor(options?: ErrorOptions) {
    super('the blob store is full', options);
    this.name = 'BlobStorageFullError';
  }
}
