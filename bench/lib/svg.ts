/** Minimal SVG line charts for docs/benchmarks.md: no plotting dependency, readable in any browser. */
import type { Plot } from './types.ts';

const W = 720;
const H = 400;
const M = { left: 72, right: 24, top: 44, bottom: 96 };
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About five round tick values covering [lo, hi]. */
function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => span / s <= 6) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const label = (v: number): string =>
  Math.abs(v) >= 1000 ? v.toExponential(1) : String(Number(v.toPrecision(4)));

export function renderSvg(plot: Plot): string {
  const points = plot.series.flatMap((s) => s.points);
  const xs = points.map(([x]) => x);
  const ys = [...points.map(([, y]) => y), ...(plot.rules ?? []).map((r) => r.y)];
  const tx = (x: number): number => (plot.x.log2 === true ? Math.log2(x) : x);
  let x0 = Math.min(...xs.map(tx));
  let x1 = Math.max(...xs.map(tx));
  if (x0 === x1) {
    x0 -= 1;
    x1 += 1;
  }
  const y0 = plot.y.fromZero === false ? Math.min(...ys) : Math.min(0, ...ys);
  const yTicks = niceTicks(y0, Math.max(...ys) * 1.08);
  const y1 = Math.max(yTicks[yTicks.length - 1] ?? 1, Math.max(...ys));
  const px = (x: number): number => M.left + ((tx(x) - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number): number => H - M.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(plot.title)}</text>`,
  ];
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(
      `<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(label(t))}</text>`,
    );
  }
  const xTicks =
    plot.x.ticks ?? niceTicks(Math.min(...xs), Math.max(...xs)).map((v) => [v, label(v)] as const);
  for (const [v, text] of xTicks) {
    const x = px(v).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(text)}</text>`);
  }
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - M.bottom + 36}" text-anchor="middle">${esc(plot.x.label)}</text>`,
    `<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(plot.y.label)}</text>`,
  );
  for (const rule of plot.rules ?? []) {
    const y = py(rule.y).toFixed(1);
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#666" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<text x="${W - M.right - 4}" y="${Number(y) - 5}" text-anchor="end" fill="#444">${esc(rule.label)}</text>`,
    );
  }
  plot.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length] ?? '#000';
    const path = series.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${path}"/>`);
    if (series.points.length <= 40) {
      for (const [x, y] of series.points) {
        out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${color}"/>`);
      }
    }
    const lx = M.left + (i % 3) * 210;
    const ly = H - 34 + Math.floor(i / 3) * 18;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${esc(series.label)}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
