const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${UNITS[u] ?? 'B'}`;
}

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second, with speed and time
 * left. Off when stderr is not a terminal, so logs and pipes get no control characters.
 */
export class Progress {
  readonly #total: number;
  readonly #enabled: boolean;
  readonly #started = Date.now();
  #lastDraw = 0;
  #drawn = false;

  constructor(total: number, enabled: boolean) {
    this.#total = total;
    this.#enabled = enabled;
  }

  update(done: number, label: string): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (now - this.#lastDraw < 100 && done < this.#total) return;
    this.#lastDraw = now;
    const seconds = Math.max((now - this.#started) / 1000, 0.001);
    const speed = done / seconds;
    const ratio = this.#total === 0 ? 1 : done / this.#total;
    const width = 24;
    const filled = Math.round(ratio * width);
    const left = speed > 0 ? Math.ceil((this.#total - done) / speed) : 0;
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${formatBytes(done)} / ${formatBytes(this.#total)}  ${formatBytes(speed)}/s  ${left}s left  ${label}`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 100) - 1)}\x1b[K`);
    this.#drawn = true;
  }

  finish(): void {
    if (this.#drawn) process.stderr.write('\n');
  }
}
