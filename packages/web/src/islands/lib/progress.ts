// The progress area of an upload (components/upload.ts): per-file and total bars with percent,
// bytes, speed and remaining time. Text is refreshed at most twice a second; the live region
// speaks only at milestones (every quarter, each finished file, pause and resume).
import { formatBytes, formatDuration, percentOf } from '../../format.ts';
import type { Messages } from '../../i18n/index.ts';
import type { Locale } from '@amtsbote/contracts';

const TEXT_EVERY_MS = 500;
const SPEED_WINDOW_MS = 5000;

interface Row {
  bar: HTMLProgressElement;
  text: HTMLElement;
  size: number;
  sent: number;
  done: boolean;
}

function required<T extends Element>(root: ParentNode, selector: string, type: new () => T): T {
  const node = root.querySelector(selector);
  if (!(node instanceof type)) throw new Error(`upload island: ${selector} missing`);
  return node;
}

export class ProgressView {
  readonly #t: Messages['upload'];
  readonly #locale: Locale;
  readonly #section: HTMLElement;
  readonly #totalBar: HTMLProgressElement;
  readonly #totalText: HTMLElement;
  readonly #speedText: HTMLElement;
  readonly #state: HTMLElement;
  readonly #list: HTMLElement;
  readonly #announcer: HTMLElement;
  readonly pauseButton: HTMLButtonElement;
  #rows: Row[] = [];
  #total = 0;
  #lastText = 0;
  #samples: { at: number; bytes: number }[] = [];
  #announced = 0;

  constructor(section: HTMLElement, t: Messages['upload'], locale: Locale) {
    this.#t = t;
    this.#locale = locale;
    this.#section = section;
    this.#totalBar = required(section, 'progress', HTMLProgressElement);
    this.#totalText = required(section, '[data-upload-total-text]', HTMLElement);
    this.#speedText = required(section, '[data-upload-speed]', HTMLElement);
    this.#state = required(section, '[data-upload-state]', HTMLElement);
    this.#list = required(section, '[data-upload-files]', HTMLElement);
    this.pauseButton = required(section, '[data-upload-pause]', HTMLButtonElement);
    const announcer = document.getElementById(`${section.id}-announce`);
    if (announcer === null) throw new Error('upload island: live region missing');
    this.#announcer = announcer;
  }

  /** Shows the area with one row per file, all waiting. */
  start(files: readonly { name: string; size: number }[]): void {
    this.#rows = [];
    this.#list.replaceChildren();
    this.#total = files.reduce((s, f) => s + f.size, 0);
    this.#announced = 0;
    this.#samples = [];
    files.forEach((f, i) => {
      const nameId = `${this.#section.id}-file-${i}`;
      const li = document.createElement('li');
      li.className = 'ab-upload__file';
      const name = document.createElement('p');
      name.className = 'kern-body';
      name.id = nameId;
      const strong = document.createElement('strong');
      strong.textContent = f.name;
      name.append(strong, ` (${formatBytes(f.size, this.#locale)})`);
      const wrap = document.createElement('div');
      wrap.className = 'kern-progress';
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute('aria-labelledby', nameId);
      wrap.append(bar);
      const text = document.createElement('p');
      text.className = 'kern-body kern-body--small';
      text.textContent = this.#t.waiting;
      li.append(name, wrap, text);
      this.#list.append(li);
      this.#rows.push({ bar, text, size: f.size, sent: 0, done: false });
    });
    const wasHidden = this.#section.hidden;
    this.#section.hidden = false;
    this.#render(true);
    // Keyboard and screen-reader users are taken to the progress once, when it appears.
    if (wasHidden) this.#section.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Bytes of file `i` the server has (absolute, also after a resume). */
  progress(i: number, sent: number): void {
    const row = this.#rows[i];
    if (row === undefined) return;
    row.sent = Math.min(sent, row.size);
    row.bar.value = percentOf(row.sent, row.size);
    this.#render(false);
  }

  fileDone(i: number, name: string): void {
    const row = this.#rows[i];
    if (row === undefined) return;
    row.sent = row.size;
    row.done = true;
    row.bar.value = 100;
    row.text.textContent = this.#t.done;
    this.#render(true);
    this.announce(this.#t.announceFileDone(name));
  }

  /** A line under the bars: what is happening now (or what went wrong). */
  state(text: string): void {
    this.#state.textContent = text;
  }

  /** After a pause or an error the speed starts afresh. */
  resetSpeed(): void {
    this.#samples = [];
    this.#speedText.textContent = '';
  }

  /** Says something to screen readers once, politely. */
  announce(text: string): void {
    // Emptying first makes the same words count as new.
    this.#announcer.textContent = '';
    window.setTimeout(() => {
      this.#announcer.textContent = text;
    }, 50);
  }

  #sent(): number {
    return this.#rows.reduce((s, r) => s + r.sent, 0);
  }

  #render(force: boolean): void {
    const now = performance.now();
    const sent = this.#sent();
    const percent = percentOf(sent, this.#total);
    this.#totalBar.value = percent;
    this.#samples.push({ at: now, bytes: sent });
    while (this.#samples.length > 2 && (this.#samples[0]?.at ?? now) < now - SPEED_WINDOW_MS)
      this.#samples.shift();
    if (!force && now - this.#lastText < TEXT_EVERY_MS) return;
    this.#lastText = now;
    const t = this.#t;
    const size = (n: number): string => formatBytes(n, this.#locale);
    this.#totalText.textContent = t.progress(percent, size(sent), size(this.#total));
    for (const row of this.#rows) {
      if (row.done || row.sent === 0) continue;
      row.text.textContent = t.progress(percentOf(row.sent, row.size), size(row.sent), size(row.size));
    }
    const first = this.#samples[0];
    const seconds = first === undefined ? 0 : (now - first.at) / 1000;
    const speed = first === undefined || seconds < 0.5 ? 0 : (sent - first.bytes) / seconds;
    this.#speedText.textContent =
      speed > 0 && sent < this.#total
        ? t.speed(size(speed), formatDuration((this.#total - sent) / speed, this.#locale))
        : '';
    const milestone = Math.floor(percent / 25) * 25;
    if (milestone > this.#announced && milestone > 0 && milestone < 100) {
      this.#announced = milestone;
      this.announce(t.announcePercent(milestone));
    }
  }
}
