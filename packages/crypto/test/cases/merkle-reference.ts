/**
 * A second, deliberately naive implementation of RFC 9162 §2.1 for cross-checking src/merkle: the
 * recursive definitions of MTH (§2.1.1), PATH (§2.1.3.1) and PROOF/SUBPROOF (§2.1.4.1) transcribed as
 * they are written, over plain leaf lists, on `crypto.subtle` directly. It shares no code with src/
 * (no cached levels, no bit tricks); only a memo of subtree hashes keeps it fast enough for properties.
 */

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const input = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    input.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', input));
}

/** The largest power of two strictly less than n (n > 1). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class ReferenceTree {
  readonly #leaves: readonly Uint8Array[];
  readonly #memo = new Map<string, Promise<Uint8Array>>();

  /** D[n]: the entries' bytes (not hashes). */
  constructor(leaves: readonly Uint8Array[]) {
    this.#leaves = leaves;
  }

  /** MTH(D[start:end]). */
  mth(start = 0, end = this.#leaves.length): Promise<Uint8Array> {
    const key = `${String(start)}:${String(end)}`;
    let hash = this.#memo.get(key);
    if (hash === undefined) {
      hash = this.#mth(start, end);
      this.#memo.set(key, hash);
    }
    return hash;
  }

  async #mth(start: number, end: number): Promise<Uint8Array> {
    const n = end - start;
    if (n === 0) return sha256();
    if (n === 1) return sha256(new Uint8Array([0x00]), this.#leaves[start] ?? new Uint8Array());
    const k = largestPowerOfTwoBelow(n);
    return sha256(new Uint8Array([0x01]), await this.mth(start, start + k), await this.mth(start + k, end));
  }

  /** PATH(m, D[start:end]). */
  async path(m: number, start = 0, end = this.#leaves.length): Promise<Uint8Array[]> {
    const n = end - start;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...(await this.path(m, start, start + k)), await this.mth(start + k, end)];
    return [...(await this.path(m - k, start + k, end)), await this.mth(start, start + k)];
  }

  /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true). */
  proof(m: number, n: number): Promise<Uint8Array[]> {
    return this.#subproof(m, 0, n, true);
  }

  async #subproof(m: number, start: number, end: number, b: boolean): Promise<Uint8Array[]> {
    const n = end - start;
    if (m === n) return b ? [] : [await this.mth(start, end)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...(await this.#subproof(m, start, start + k, b)), await this.mth(start + k, end)];
    return [...(await this.#subproof(m - k, start + k, end, false)), await this.mth(start, start + k)];
  }
}
