// The checks the upload islands make before anything is sent, as plain functions: the same
// limits and lengths the API enforces (api.ts `draftBody`, drafts.ts `checkDraft`), so a file
// that is too large is refused at once with a message naming it and the limit.
import { formatBytes } from '../../format.ts';
import type { Messages } from '../../i18n/index.ts';
import { messages } from '../../i18n/index.ts';
import type { Locale } from '@amtsbote/contracts';
import type { ApiFieldProblem } from './api.ts';
import type { FieldMessage } from './errors.ts';

/** The limits the page put on the form as data attributes; absent ones are not checked here. */
export interface Limits {
  maxFileSize: number | undefined;
  maxFiles: number | undefined;
  maxTotalSize: number | undefined;
}

export function readLimits(form: { dataset: DOMStringMap }): Limits {
  const n = (v: string | undefined): number | undefined => {
    const x = Number(v);
    return v === undefined || v === '' || !Number.isFinite(x) || x <= 0 ? undefined : x;
  };
  return {
    maxFileSize: n(form.dataset.maxFileSize),
    maxFiles: n(form.dataset.maxFiles),
    maxTotalSize: n(form.dataset.maxTotalSize),
  };
}

/** Problems with the chosen files, each naming the file and the limit in human units. */
export function checkFiles(
  files: readonly { name: string; size: number }[],
  limits: Limits,
  locale: Locale,
): FieldMessage[] {
  const t = messages(locale).upload;
  const size = (b: number): string => formatBytes(b, locale);
  const out: FieldMessage[] = [];
  if (limits.maxFiles !== undefined && files.length > limits.maxFiles) {
    out.push({ field: 'files', message: t.tooManyFiles(files.length, limits.maxFiles) });
  }
  const maxFile = limits.maxFileSize;
  if (maxFile !== undefined) {
    for (const f of files) {
      if (f.size > maxFile)
        out.push({ field: 'files', message: t.fileTooLarge(f.name, size(f.size), size(maxFile)) });
    }
  }
  const total = files.reduce((s, f) => s + f.size, 0);
  if (limits.maxTotalSize !== undefined && total > limits.maxTotalSize) {
    out.push({ field: 'files', message: t.totalTooLarge(size(total), size(limits.maxTotalSize)) });
  }
  return out;
}

/** The API's field problems as form errors; `files.1` becomes the files field, naming the file. */
export function fieldMessages(
  problems: readonly ApiFieldProblem[],
  files: readonly { name: string }[],
  locale: Locale,
): FieldMessage[] {
  const t = messages(locale).upload;
  return problems.map((p) => {
    const m = /^files\.(\d+)$/.exec(p.field);
    if (m !== null) {
      const file = files[Number(m[1])];
      return { field: 'files', message: file === undefined ? p.message : t.aboutFile(file.name, p.message) };
    }
    return { field: p.field === 'body' ? '' : p.field, message: p.message };
  });
}

/** The lines of a recipients field: addresses separated by new lines, commas or semicolons. */
export function splitAddresses(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A plausible e-mail address (the server checks properly). */
export function looksLikeEmail(s: string): boolean {
  return s.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}

/** Checks subject and message the way the API will (lengths from api.ts `draftBody`). */
export function checkText(t: Messages['upload'], subject: string, message: string): FieldMessage[] {
  const out: FieldMessage[] = [];
  if (subject.trim() === '') out.push({ field: 'subject', message: t.subjectMissing });
  else if (subject.length > 200) out.push({ field: 'subject', message: t.subjectTooLong });
  if (message.length > 20000) out.push({ field: 'message', message: t.messageTooLong });
  return out;
}
