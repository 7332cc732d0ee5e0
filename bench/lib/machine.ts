/** What the figures were measured on. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { opensslVersion } from './limits.ts';

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** The OpenSSL inside Node (what WebCrypto uses there). */
  readonly nodeOpenssl: string;
  /** The `openssl` command that measures the AES limit. */
  readonly opensslCli: string;
  /** 1-minute load average when the benchmark started: others' work on a shared machine. */
  readonly loadAverage: number;
  /** CPU flags that matter for AES-GCM. */
  readonly aesFlags: string[];
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(release)?.[1];
    if (pretty !== undefined) return `${pretty}, ${os.type()} ${os.release()} ${os.arch()}`;
  } catch {
    // not Linux
  }
  return `${os.type()} ${os.release()} ${os.arch()}`;
}

function aesFlags(): string[] {
  try {
    const flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(' ') ?? [];
    return ['aes', 'pclmulqdq', 'avx2', 'avx512f', 'vaes', 'vpclmulqdq'].filter((f) => flags.includes(f));
  } catch {
    return [];
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  const nproc = spawnSync('nproc', { encoding: 'utf8' });
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores:
      nproc.error === undefined && nproc.stdout.trim() !== '' ? Number(nproc.stdout.trim()) : cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    node: process.version,
    nodeOpenssl: process.versions.openssl,
    opensslCli: opensslVersion() ?? 'not installed',
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    aesFlags: aesFlags(),
  };
}
