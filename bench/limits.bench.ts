/**
 * Benchmark `limits`: the machine's limits alone (the helpers every other benchmark compares with), so
 * that they can be checked, and tracked, without running a system benchmark.
 */
import { LIMIT_METHODS } from './lib/limits.ts';
import type { Benchmark, BenchResult, LimitSeries } from './lib/types.ts';

const GB = 1e9;

const benchmark: Benchmark = {
  name: 'limits',
  description:
    'The same-run limits themselves: openssl AES-256-GCM on one core, dd with fsync, loopback HTTP copy.',
  async run(ctx): Promise<BenchResult> {
    const openssl: LimitSeries = {
      label: 'OpenSSL AES-256-GCM, one core',
      unit: 'GB/s',
      samples: [],
      method: LIMIT_METHODS.openssl,
    };
    const disk: LimitSeries = {
      label: 'sequential disk write with fsync (dd, 1 GiB)',
      unit: 'GB/s',
      samples: [],
      method: LIMIT_METHODS.disk,
    };
    const up: LimitSeries = {
      label: 'loopback HTTP upload to a file (1 GiB)',
      unit: 'GB/s',
      samples: [],
      method: LIMIT_METHODS.http,
    };
    const down: LimitSeries = {
      label: 'loopback HTTP download from a file (1 GiB)',
      unit: 'GB/s',
      samples: [],
      method: LIMIT_METHODS.http,
    };
    for (let round = 0; round < ctx.rounds; round++) {
      ctx.log(`round ${round + 1}/${ctx.rounds}`);
      openssl.samples.push((await ctx.limits.openssl()) / GB);
      disk.samples.push((await ctx.limits.disk()) / GB);
      const http = await ctx.limits.http();
      up.samples.push(http.upload / GB);
      down.samples.push(http.download / GB);
    }
    return { figures: [], limits: { openssl, disk, httpUpload: up, httpDownload: down } };
  },
};
export default benchmark;
