import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Scanner } from './types.ts';
import { ScannerUnavailableError } from './types.ts';
import { EICAR } from './test-clamd.ts';

/** What a contract run needs from one implementation. */
export interface ScannerSubject {
  scanner: Scanner;
  /** Whether it looks at content at all (`none` does not: it reports everything unscanned). */
  detects: boolean;
  /** Makes the scanner unreachable (e.g. stops clamd) and back; omitted where that cannot happen. */
  outage?: { stop(): Promise<void>; start(): Promise<void> };
  cleanup?: () => Promise<void>;
}

const MiB = 1024 * 1024;

/** `n` bytes in 256 KiB pieces, made as they are read (so nothing holds the whole stream). */
function generated(n: number, fill = 0x61): Readable {
  let left = n;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const size = Math.min(left, 256 * 1024);
      left -= size;
      this.push(Buffer.alloc(size, fill));
    },
  });
}

/**
 * The behaviour every scanner shares: a verdict for any stream, never a false "clean" from a
 * scanner that does not look, content streamed rather than buffered, and an outage that is
 * reported as such (so files wait) instead of as a verdict.
 */
export function scannerContract(name: string, make: () => Promise<ScannerSubject>): void {
  void describe(`scanner contract: ${name}`, () => {
    let s: ScannerSubject;
    before(async () => {
      s = await make();
    });
    after(async () => {
      await s.scanner.close();
      await s.cleanup?.();
    });

    void it('answers a ping', async () => {
      assert.equal(await s.scanner.ping(), true);
    });

    void it('judges harmless content clean, or says it did not look', async () => {
      const v = await s.scanner.scan(
        Readable.from([Buffer.from('Sehr geehrte Damen und Herren,\nanbei mein Antrag.\n')]),
      );
      assert.equal(v.verdict, s.detects ? 'clean' : 'unscanned');
    });

    void it('finds the EICAR test string, alone and inside a PDF, split across reads', async () => {
      const eicar = Buffer.from(EICAR, 'latin1');
      const alone = await s.scanner.scan(Readable.from([eicar.subarray(0, 10), eicar.subarray(10)]));
      const pdf = Buffer.concat([
        Buffer.from('%PDF-1.4\n1 0 obj\n<< >>\nstream\n'),
        eicar,
        Buffer.from('\nendstream\nendobj\n%%EOF\n'),
      ]);
      const inside = await s.scanner.scan(Readable.from([pdf.subarray(0, 40), pdf.subarray(40)]));
      for (const v of [alone, inside]) {
        if (s.detects) {
          assert.ok(v.verdict === 'infected', `expected a find, got ${v.verdict}`);
          assert.ok(v.signature.length > 0);
        } else {
          assert.equal(v.verdict, 'unscanned', 'a scanner that does not look never says clean');
        }
      }
    });

    void it('streams large content without holding it in memory', async () => {
      const size = 48 * MiB;
      const rssBefore = process.memoryUsage().rss;
      const v = await s.scanner.scan(generated(size));
      const growth = process.memoryUsage().rss - rssBefore;
      assert.equal(v.verdict, s.detects ? 'clean' : 'unscanned');
      assert.ok(growth < 40 * MiB, `resident memory grew by ${Math.round(growth / MiB)} MiB`);
    });

    void it('passes on an error of the content source instead of a verdict', async () => {
      const broken = new Readable({
        read() {
          this.destroy(new Error('blob store gone'));
        },
      });
      if (s.detects) await assert.rejects(s.scanner.scan(broken), /blob store gone/);
      else assert.equal((await s.scanner.scan(broken)).verdict, 'unscanned');
    });

    void it('reports an outage as unavailable and works again afterwards; in-process, always answers', async () => {
      const outage = s.outage;
      // A scanner without a remote end (none) has no outage to simulate: it must always answer.
      if (outage === undefined) {
        assert.equal(await s.scanner.ping(), true);
        assert.equal((await s.scanner.scan(Readable.from([Buffer.from('x')]))).verdict, 'unscanned');
        return;
      }
      await outage.stop();
      try {
        await assert.rejects(s.scanner.scan(Readable.from([Buffer.from('x')])), ScannerUnavailableError);
        assert.equal(await s.scanner.ping(), false);
      } finally {
        await outage.start();
      }
      assert.equal((await s.scanner.scan(Readable.from([Buffer.from('wieder da')]))).verdict, 'clean');
    });
  });
}
