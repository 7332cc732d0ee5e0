/** Order statistics of repeated measurements. */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartile (linear interpolation), for the interquartile range. */
  readonly q1: number;
  readonly q3: number;
}

/** The `p`-quantile (0…1) of sorted values, linearly interpolated. */
function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (at - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

export const median = (values: readonly number[]): number => summarize(values).median;

/**
 * Ratios of paired samples (round by round, as the benchmark alternated them) when both series have the
 * same length; otherwise each sample against the limit's median.
 */
export function ratios(samples: readonly number[], limit: readonly number[]): number[] {
  if (samples.length === limit.length) return samples.map((s, i) => s / (limit[i] ?? Number.NaN));
  const m = median(limit);
  return samples.map((s) => s / m);
}

/** Three significant digits, without exponent notation for everyday magnitudes. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toString();
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}
