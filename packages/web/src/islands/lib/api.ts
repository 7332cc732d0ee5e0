// JSON calls from islands to the portal: same origin, session cookie, CSRF token in a header,
// and the portal's error shape turned into something a form can show.

/** A problem with one field as the API reports it (`files.1` names the second file). */
export interface ApiFieldProblem {
  field: string;
  code: string;
  message: string;
}

/** The portal's error body: `{error: {code, message, fields?}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: readonly ApiFieldProblem[];
  constructor(status: number, code: string, message: string, fields: readonly ApiFieldProblem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** The request never got an answer (offline, server down). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads `{error: {…}}` from a response body; undefined when it is not that shape. */
export function parseErrorBody(status: number, text: string): ApiError | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const e = body.error;
  const fields = Array.isArray(e.fields)
    ? e.fields.filter(isRecord).map((f) => ({
        field: typeof f.field === 'string' ? f.field : '',
        code: typeof f.code === 'string' ? f.code : '',
        message: typeof f.message === 'string' ? f.message : '',
      }))
    : [];
  return new ApiError(
    status,
    typeof e.code === 'string' ? e.code : 'ERR_INTERNAL',
    typeof e.message === 'string' ? e.message : '',
    fields,
  );
}

/**
 * POSTs JSON and returns the parsed answer.
 * @throws {ApiError} for an error answer; {NetworkError} when there was none.
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new NetworkError(err);
  }
  const text = await res.text();
  if (!res.ok) throw parseErrorBody(res.status, text) ?? new ApiError(res.status, 'ERR_INTERNAL', '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The draft the API created: its id and the id of each declared file, in order. */
export interface DraftAnswer {
  id: string;
  uploadEndpoint: string;
  files: { id: string; name: string; size: number }[];
}

export function asDraftAnswer(v: unknown): DraftAnswer | undefined {
  if (!isRecord(v) || typeof v.id !== 'string' || !Array.isArray(v.files)) return undefined;
  const files = v.files.filter(isRecord).map((f) => ({
    id: typeof f.id === 'string' ? f.id : '',
    name: typeof f.name === 'string' ? f.name : '',
    size: typeof f.size === 'number' ? f.size : 0,
  }));
  if (files.some((f) => f.id === '')) return undefined;
  return { id: v.id, uploadEndpoint: typeof v.uploadEndpoint === 'string' ? v.uploadEndpoint : '', files };
}
