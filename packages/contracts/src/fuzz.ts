// Fuzz cases of the parsers here that read untrusted input: sniffTypes (a file's first bytes),
// typeIdOfMime and isFileTypeId (stored settings, detected types), fromAcceptLanguage and
// negotiateLocale (raw request values). Run with a fixed seed by fuzz.test.ts and for longer by
// `npm run fuzz` (packages/crypto/scripts/fuzz.ts). Test code: nothing in index.ts imports it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FILE_TYPES, isFileTypeId, sniffTypes, typeIdOfMime, type FileTypeId } from './file-types.ts';
import {
  defaultLocale,
  fromAcceptLanguage,
  locales,
  negotiateLocale,
  toLocale,
  type Locale,
} from './locale.ts';

/** The shape of packages/crypto/test/fuzz/harness.ts, declared here so neither package imports the other. */
export interface FuzzCase {
  readonly name: string;
  readonly ciRuns: number;
  readonly weight: number;
  readonly run: (options: { readonly seed: number; readonly numRuns: number }) => Promise<void>;
}

/** The CI seed and the per-case seeds, exactly as packages/crypto/test/fuzz/cases.ts makes them. */
export const FIXED_SEED = 0x5eed2025;
export function seedFor(base: number, name: string): number {
  let h = base >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

const ids = Object.keys(FILE_TYPES) as FileTypeId[];
const OFFICE: readonly FileTypeId[] = ['docx', 'xlsx', 'odt', 'ods'];
const bytes = (s: string): number[] => Array.from(s).map((c) => c.charCodeAt(0));

/** Byte sequences that mean something to sniffTypes, to splice into random bytes. */
const tokens = fc.constantFrom(
  bytes('%PDF-'),
  bytes('%PDF'),
  bytes('ftyp'),
  bytes('RIFF'),
  bytes('WEBP'),
  bytes('GIF8'),
  [0x50, 0x4b, 0x03, 0x04],
  [0xff, 0xd8, 0xff],
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
);
const tail = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 30, size: 'max' }).map((b) => [...b]),
      tokens,
    ),
    { maxLength: 8 },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

/** A file's first bytes as each catalogue type begins, with the type it must be sniffed as. */
const signed: fc.Arbitrary<{ id: FileTypeId; head: readonly number[] }> = fc.oneof(
  fc.constant({ id: 'jpeg' as const, head: [0xff, 0xd8, 0xff] }),
  fc.constant({ id: 'png' as const, head: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }),
  fc
    .constantFrom([0x49, 0x49, 0x2a, 0x00], [0x4d, 0x4d, 0x00, 0x2a])
    .map((head) => ({ id: 'tiff' as const, head })),
  fc.constantFrom('GIF87a', 'GIF89a').map((s) => ({ id: 'gif' as const, head: bytes(s) })),
  fc.nat(0xffff).map((n) => ({
    id: 'webp' as const,
    head: [...bytes('RIFF'), n & 0xff, n >> 8, 0, 0, ...bytes('WEBP')],
  })),
  fc
    .integer({ min: 8, max: 255 })
    .map((n) => ({ id: 'heic' as const, head: [0, 0, 0, n, ...bytes('ftypheic')] })),
  fc.constantFrom(...OFFICE).map((id) => ({ id, head: [0x50, 0x4b, 0x03, 0x04] })),
);

/** Header-ish text: the separators and parameters of Accept-Language, and any Unicode. */
const headerish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200, size: 'max' }),
  fc.string({
    unit: fc.constantFrom('de', 'en', 'EN', '-', '_', ',', ';', 'q', '=', '0', '1', '.', ' ', '*', 'x', '\t'),
    maxLength: 300,
    size: 'max',
  }),
  fc.string({ unit: 'grapheme-ascii', minLength: 990, maxLength: 1010 }),
);

const tags = fc.constantFrom(
  'de',
  'en',
  'de-DE',
  'en-GB',
  'EN',
  'De-at',
  'en_US',
  ' en ',
  'fr',
  'fr-CH',
  '*',
  'deu',
  'english',
  'x-en',
);
const qValues = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('0', '1', '1.0', '1.000', '0.001', '0.5', '0.25'),
  fc.integer({ min: 0, max: 1000 }).map((n) => (n / 1000).toFixed(3)),
);

/** Accept-Language as RFC 9110 §12.5.4 reads it: the supported language with the highest q, first on ties. */
function modelAcceptLanguage(entries: readonly { tag: string; q: string | undefined }[]): Locale | undefined {
  let best: { locale: Locale; q: number } | undefined;
  for (const { tag, q } of entries) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    const locale = locales.find((l) => l === primary);
    const weight = q === undefined ? 1 : Number(q);
    if (locale === undefined || weight <= 0) continue;
    if (best === undefined || weight > best.q) best = { locale, q: weight };
  }
  return best?.locale;
}

export function contractsCases(): FuzzCase[] {
  return [
    {
      name: 'sniffTypes: any bytes give distinct catalogue ids, judged on the first KiB alone',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        fc.assert(
          fc.property(
            fc.oneof(fc.uint8Array({ maxLength: 1500, size: 'max' }), tail),
            fc.uint8Array({ maxLength: 64 }),
            (b, more) => {
              const got = sniffTypes(b);
              assert.ok(got.every(isFileTypeId) && new Set(got).size === got.length, `ids ${got.join()}`);
              assert.ok(
                got.length <= 1 || got.join() === OFFICE.join(),
                'one type, or the ZIP-based office family',
              );
              assert.deepEqual(got, sniffTypes(b.subarray(0, 1024)), 'only the first KiB counts');
              if (b.length >= 1024) {
                const longer = new Uint8Array(b.length + more.length);
                longer.set(b);
                longer.set(more, b.length);
                assert.deepEqual(sniffTypes(longer), got, 'bytes after the first KiB change nothing');
              }
            },
          ),
          o,
        );
      },
    },
    {
      name: 'sniffTypes: a file that starts with a catalogue signature is sniffed as its type, whatever follows',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        fc.assert(
          fc.property(signed, tail, ({ id, head }, rest) => {
            const b = Uint8Array.from([...head, ...rest]);
            assert.ok(
              sniffTypes(b).includes(id),
              `${id} with ${[...rest].join(' ')} sniffed as [${sniffTypes(b).join()}]`,
            );
          }),
          // Found by this property: a PNG or JPEG whose metadata holds "%PDF-" was sniffed as a PDF only.
          {
            ...o,
            examples: [
              [
                { id: 'png', head: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
                Uint8Array.from(bytes('tEXt%PDF-')),
              ],
            ],
          },
        );
      },
    },
    {
      name: 'sniffTypes: a PDF marker after text junk in the first KiB is a PDF, one beyond it is not',
      ciRuns: 500,
      weight: 1,
      run: async (o) => {
        fc.assert(
          fc.property(
            fc.string({
              unit: fc.constantFrom(...Array.from('abc \n\r\t%PDF1-')),
              maxLength: 1100,
              size: 'max',
            }),
            (junk) => {
              const b = Uint8Array.from([...bytes(junk), ...bytes('%PDF-1.7\n')]);
              const inFirstKiB = new TextDecoder('latin1').decode(b.subarray(0, 1024)).includes('%PDF-');
              assert.deepEqual(sniffTypes(b), inFirstKiB ? ['pdf'] : []);
            },
          ),
          o,
        );
      },
    },
    {
      name: 'typeIdOfMime and isFileTypeId: any value; only catalogue entries are recognised',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        const mimes = ids.flatMap((id) => FILE_TYPES[id].mimes as readonly string[]);
        const values = fc.oneof(
          fc.constantFrom(...mimes, ...ids, '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
          fc.constantFrom(...mimes).map((m) => m.toUpperCase()),
          fc.constantFrom(...mimes).map((m) => `${m}; charset=binary`),
          fc.string({ unit: 'binary', maxLength: 80, size: 'max' }),
        );
        fc.assert(
          fc.property(
            fc.oneof(values, fc.constant(undefined)),
            fc.oneof(values, fc.anything()),
            (mime, value) => {
              const id = typeIdOfMime(mime);
              if (id === undefined)
                assert.ok(mime === undefined || !mimes.includes(mime), `${String(mime)} is in the catalogue`);
              else
                assert.ok(
                  mime !== undefined && (FILE_TYPES[id].mimes as readonly string[]).includes(mime),
                  `${String(mime)} → ${id}`,
                );
              assert.equal(
                isFileTypeId(value),
                typeof value === 'string' && ids.includes(value as FileTypeId),
              );
            },
          ),
          o,
        );
      },
    },
    {
      name: 'negotiateLocale and fromAcceptLanguage: any values give a supported language, in the documented order',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        const maybe = fc.oneof(fc.constant(undefined), headerish, tags);
        fc.assert(
          fc.property(maybe, maybe, maybe, (query, preferred, header) => {
            const fromHeader = fromAcceptLanguage(header);
            assert.ok(fromHeader === undefined || locales.includes(fromHeader));
            const got = negotiateLocale(query, preferred, header);
            assert.ok(locales.includes(got));
            assert.equal(got, toLocale(query) ?? toLocale(preferred) ?? fromHeader ?? defaultLocale);
          }),
          o,
        );
      },
    },
    {
      name: 'fromAcceptLanguage: picks the supported language with the highest q-value, the first on ties',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        const entry = fc.record({ tag: tags, q: qValues, space: fc.constantFrom('', ' ', '  ') });
        fc.assert(
          fc.property(
            fc.array(entry, { maxLength: 20 }),
            fc.constantFrom(',', ', ', ' ,'),
            (entries, comma) => {
              const header = entries
                .map((e) => (e.q === undefined ? e.tag : `${e.tag};${e.space}q=${e.q}`))
                .join(comma);
              assert.equal(fromAcceptLanguage(header), modelAcceptLanguage(entries), header);
            },
          ),
          o,
        );
      },
    },
    {
      name: 'locale and file-type parsers: adversarial inputs of any size take bounded time',
      ciRuns: 20,
      weight: 0.02,
      run: async (o) => {
        fc.assert(
          fc.property(
            fc.constantFrom('en;q=', ';', ' ', ',', 'q=0.', 'en-', '%PDF', '\u00e9'),
            fc.constantFrom(999, 1000, 1001, 1_000_000),
            (unit, size) => {
              const text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
              const file = new Uint8Array(16 * size).fill(0x25);
              const started = performance.now();
              negotiateLocale(text, text, text);
              sniffTypes(file);
              typeIdOfMime(text);
              // Linear work takes milliseconds here; only a super-linear parser (seconds to hours at a
              // megabyte) crosses this line, however loaded the machine.
              const ms = performance.now() - started;
              assert.ok(ms < 2000, `${ms.toFixed(0)} ms for ${size} characters of ${JSON.stringify(unit)}`);
            },
          ),
          o,
        );
      },
    },
  ];
}
