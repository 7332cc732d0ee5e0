import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictOf } from './clamd.ts';
import { ClamdScanner } from './clamd.ts';
import { scannerContract } from './contract.ts';
import { clamdAvailable, startTestClamd } from './test-clamd.ts';
import { ScanRefusedError, ScannerUnavailableError } from './types.ts';

const available = clamdAvailable();

if (available.ok) {
  scannerContract('clamd (a real clamd with a test signature database)', async () => {
    const clamd = await startTestClamd();
    return {
      scanner: new ClamdScanner(clamd.url),
      detects: true,
      outage: { stop: () => clamd.stop(), start: () => clamd.start() },
      cleanup: () => clamd.close(),
    };
  });
} else {
  it('clamd scanner contract', { skip: available.reason }, () => undefined);
}

describe('clamd replies', () => {
  it('reads OK, FOUND, the size limit and anything else', () => {
    assert.deepEqual(verdictOf('stream: OK', 'c'), { verdict: 'clean' });
    assert.deepEqual(verdictOf('stream: Win.Test.EICAR_HDB-1 FOUND', 'c'), {
      verdict: 'infected',
      signature: 'Win.Test.EICAR_HDB-1',
    });
    assert.throws(() => verdictOf('INSTREAM size limit exceeded. ERROR', 'c'), ScanRefusedError);
    assert.throws(() => verdictOf('Something odd. ERROR', 'c'), ScannerUnavailableError);
  });
});
