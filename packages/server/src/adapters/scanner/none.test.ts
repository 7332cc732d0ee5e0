import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scannerContract } from './contract.ts';
import { scannerFromUrl } from './index.ts';
import { NoScanner } from './none.ts';

scannerContract('none', async () => Promise.resolve({ scanner: new NoScanner(), detects: false }));

it('picks the scanner from CLAMD_URL: none when absent or "none", clamd for tcp and unix', () => {
  assert.equal(scannerFromUrl(undefined).kind, 'none');
  assert.equal(scannerFromUrl('none').kind, 'none');
  assert.equal(scannerFromUrl('tcp://127.0.0.1:3310').description, 'clamd at 127.0.0.1:3310');
  assert.equal(scannerFromUrl('unix:///run/clamav/clamd.ctl').description, 'clamd at /run/clamav/clamd.ctl');
  assert.throws(() => scannerFromUrl('tcp://127.0.0.1'), /host and port/);
});
