/**
 * The contexts that bind each sealed value to its row (see at-rest.ts): a content key wrapped
 * for one transfer does not unwrap for another, a file name sealed for one file does not open
 * as another's.
 */
export function contentKeyContext(tenantId: string, transferId: string): string {
  return `transfer-content:${tenantId}:${transferId}`;
}

export function fileKeyContext(tenantId: string, fileId: string): string {
  return `transfer-file:${tenantId}:${fileId}`;
}

export function textContext(
  rowId: string,
  field: 'subject' | 'message' | 'name' | 'type' | 'reference' | 'guest-name' | 'guest-phone',
): string {
  return `${field}:${rowId}`;
}
