// The file types a department may accept, in one catalogue for the server (which checks the
// content with file-type) and the browser (which checks the first bytes before uploading, as a
// courtesy: the server decides). Ids are stable: they are stored in settings and upload links.

export interface FileTypeInfo {
  /** Shown to people: "PDF", "JPEG" … */
  label: string;
  /** Name endings, for the file chooser's `accept` and for messages. */
  extensions: readonly string[];
  /** Media types the content check (file-type) reports for it. */
  mimes: readonly string[];
}

export const FILE_TYPES = {
  pdf: { label: 'PDF', extensions: ['.pdf'], mimes: ['application/pdf'] },
  jpeg: { label: 'JPEG', extensions: ['.jpg', '.jpeg'], mimes: ['image/jpeg'] },
  png: { label: 'PNG', extensions: ['.png'], mimes: ['image/png'] },
  tiff: { label: 'TIFF', extensions: ['.tif', '.tiff'], mimes: ['image/tiff'] },
  gif: { label: 'GIF', extensions: ['.gif'], mimes: ['image/gif'] },
  webp: { label: 'WebP', extensions: ['.webp'], mimes: ['image/webp'] },
  heic: {
    label: 'HEIC',
    extensions: ['.heic', '.heif'],
    mimes: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
  },
  docx: {
    label: 'Word (DOCX)',
    extensions: ['.docx'],
    mimes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
  xlsx: {
    label: 'Excel (XLSX)',
    extensions: ['.xlsx'],
    mimes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  },
  odt: {
    label: 'OpenDocument Text (ODT)',
    extensions: ['.odt'],
    mimes: ['application/vnd.oasis.opendocument.text'],
  },
  ods: {
    label: 'OpenDocument Spreadsheet (ODS)',
    extensions: ['.ods'],
    mimes: ['application/vnd.oasis.opendocument.spreadsheet'],
  },
} as const satisfies Record<string, FileTypeInfo>;

export type FileTypeId = keyof typeof FILE_TYPES;

/** What a department takes when nobody chose otherwise. */
export const DEFAULT_FILE_TYPES: readonly FileTypeId[] = ['pdf', 'jpeg', 'png'];

export function isFileTypeId(v: unknown): v is FileTypeId {
  return typeof v === 'string' && Object.hasOwn(FILE_TYPES, v);
}

/** "PDF, JPEG, PNG": the allowed types as people read them. */
export function typeList(ids: readonly string[]): string {
  return ids
    .filter(isFileTypeId)
    .map((id) => FILE_TYPES[id].label)
    .join(', ');
}

/** The `accept` attribute of a file chooser for these types. */
export function acceptAttribute(ids: readonly string[]): string {
  return ids
    .filter(isFileTypeId)
    .flatMap((id) => [...FILE_TYPES[id].extensions, ...FILE_TYPES[id].mimes])
    .join(',');
}

/** The catalogue id for a media type the content check found, if it is one we know. */
export function typeIdOfMime(mime: string | undefined): FileTypeId | undefined {
  if (mime === undefined) return undefined;
  for (const [id, info] of Object.entries(FILE_TYPES) as [FileTypeId, FileTypeInfo][]) {
    if (info.mimes.includes(mime)) return id;
  }
  return undefined;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

/**
 * A quick look at a file's first bytes in the browser, before anything is uploaded. Returns the
 * catalogue ids the bytes fit (ZIP-based office files can only be told apart by the server);
 * an empty list means "none of ours".
 */
export function sniffTypes(b: Uint8Array): FileTypeId[] {
  // Signatures at offset 0 first, then at 4: a photo may carry "%PDF-" in its metadata and is still
  // what its first bytes say (as the server's check finds), so the PDF scan below comes last.
  if (startsWith(b, [0xff, 0xd8, 0xff])) return ['jpeg'];
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ['png'];
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return ['tiff'];
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return ['gif'];
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)) return ['webp'];
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return ['docx', 'xlsx', 'odt', 'ods'];
  if (startsWith(b, [0x66, 0x74, 0x79, 0x70], 4)) return ['heic'];
  // %PDF- may follow a few bytes of junk; readers accept it within the first 1 KiB.
  const head = new TextDecoder('latin1').decode(b.subarray(0, 1024));
  if (head.includes('%PDF-')) return ['pdf'];
  return [];
}
