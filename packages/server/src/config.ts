import { isIP } from 'node:net';
import path from 'node:path';
import type { Cidr } from './adapters/outbound.ts';
import { OutboundPolicy, parseCidr } from './adapters/outbound.ts';

/**
 * Everything the server reads from its environment, validated once at start. Every default
 * is replaced by one variable; docs/configuration.md lists them.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Absent: embedded PGlite under DATA_DIR/db. */
  databaseUrl: string | undefined;
  /** Absent: filesystem under DATA_DIR/blobs. */
  blobStore: string | undefined;
  /** Absent: RFC 5322 files in DATA_DIR/outbox, their links printed to the console. */
  smtpUrl: string | undefined;
  /** MAIL_OUTBOX=1: the outbox on purpose, even with an https PUBLIC_URL (trying it out). */
  mailOutbox: boolean;
  mailFrom: string;
  publicUrl: string;
  /** 32 bytes; absent: read from (or generated into) DATA_DIR/master.key. */
  masterKey: Buffer | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Believe X-Forwarded-For from this many proxies in front (0: none). */
  trustProxyHops: number;
  /** Slug of the tenant answering requests whose host no tenant claims. */
  defaultTenant: string | undefined;
  /** Largest JSON or form body, in bytes (file uploads have their own limits). */
  bodyLimit: number;
  /** Create the demo tenant on an empty database. */
  seedDemo: boolean;
  /** clamd for scanning incoming files (`tcp://host:port`, `unix:///path`); absent: no scanner. */
  clamdUrl: string | undefined;
  /** How often waiting files are (re-)scanned, in milliseconds. */
  scanIntervalMs: number;
  /** OpenID provider for citizens' service accounts (BundID via a broker); absent: none. */
  oidc: OidcConfig | undefined;
  /**
   * Access logs with full IP addresses (abuse defence): off by default. When on, one file per
   * hour under DATA_DIR/access-log, deleted after `retentionDays` (5 by default, never more than 7).
   */
  accessLog: { enabled: boolean; retentionDays: number };
  /** Blobs no row points to are removed once older than this (ms); covers the longest upload step. */
  orphanGraceMs: number;
  /**
   * Internal and special-purpose ranges that outbound requests (OpenID issuers, later webhooks)
   * may reach all the same; empty by default: only public addresses (adapters/outbound.ts).
   */
  outboundAllow: readonly Cidr[];
  /** /readyz fails when the filesystem blob store has less free space than this (bytes; 0: no check). */
  readyMinFreeBytes: number;
}

/** A citizen sign-in through OpenID Connect (authorization code + PKCE). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE only). */
  clientSecret: string | undefined;
  /** The button's name, e.g. "BundID". */
  label: string;
  scopes: string;
  /** Requested trust levels (acr_values), space-separated; absent: the provider's default. */
  acrValues: string | undefined;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function isLogLevel(v: string): v is Config['logLevel'] {
  return (logLevels as readonly string[]).includes(v);
}

/**
 * Reads and validates the configuration.
 * @throws {ConfigError} listing every bad value with the variable's name, not just the first.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        problems.push(
          `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${u.protocol}//…"`,
        );
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const port = int('PORT', 8080, 0, 65535);
  const host = str('HOST') ?? '127.0.0.1';
  const dataDir = path.resolve(cwd, str('DATA_DIR') ?? 'data');
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const blobStore = url('BLOB_STORE', ['s3:', 'file:']);
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);
  const clamdUrl = str('CLAMD_URL') === 'none' ? undefined : url('CLAMD_URL', ['tcp:', 'unix:']);
  const publicUrlRaw = url('PUBLIC_URL', ['http:', 'https:']);
  const publicUrl = (publicUrlRaw ?? `http://localhost:${port}`).replace(/\/+$/, '');

  let masterKey: Buffer | undefined;
  const mk = str('MASTER_KEY');
  if (mk !== undefined) {
    masterKey = decodeKey(mk);
    if (masterKey === undefined) {
      problems.push(
        'MASTER_KEY must be 32 random bytes, written as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
      );
    }
  }

  const level = str('LOG_LEVEL') ?? 'info';
  if (!isLogLevel(level)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${level}"`);

  const defaultTenant = str('DEFAULT_TENANT');
  if (defaultTenant !== undefined && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(defaultTenant)) {
    problems.push(
      `DEFAULT_TENANT must be a tenant's short name (lower-case letters, digits, hyphens), got "${defaultTenant}"`,
    );
  }

  const outboundAllow: Cidr[] = [];
  for (const entry of (str('OUTBOUND_ALLOW') ?? '').split(/[\s,]+/).filter((e) => e !== '')) {
    const cidr = parseCidr(entry);
    if (cidr === undefined)
      problems.push(
        `OUTBOUND_ALLOW must list addresses or ranges separated by commas (e.g. 127.0.0.1/32,10.0.0.0/8), got "${entry}"`,
      );
    else outboundAllow.push(cidr);
  }

  const oidcConfig = (): OidcConfig | undefined => {
    const issuer = url('OIDC_ISSUER', ['https:', 'http:']);
    const clientId = str('OIDC_CLIENT_ID');
    if (issuer === undefined) {
      if (clientId !== undefined) problems.push('OIDC_CLIENT_ID is set but OIDC_ISSUER is not');
      return undefined;
    }
    if (clientId === undefined) problems.push('OIDC_ISSUER is set but OIDC_CLIENT_ID is not');
    if (
      issuer.startsWith('http:') &&
      !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(issuer)
    ) {
      problems.push('OIDC_ISSUER must use https:// (plain http only for localhost)');
    }
    const refusal = literalRefusal(issuer, outboundAllow);
    if (refusal !== undefined)
      problems.push(
        `OIDC_ISSUER is on ${refusal}, which the portal calls only when OUTBOUND_ALLOW includes it (e.g. OUTBOUND_ALLOW=127.0.0.1/32)`,
      );
    return {
      issuer,
      clientId: clientId ?? '',
      clientSecret: str('OIDC_CLIENT_SECRET'),
      label: str('OIDC_LABEL') ?? 'BundID',
      scopes: str('OIDC_SCOPES') ?? 'openid email',
      acrValues: str('OIDC_ACR_VALUES'),
    };
  };

  const mailOutbox = bool('MAIL_OUTBOX', false);
  if (mailOutbox && smtpUrl !== undefined)
    problems.push(
      'MAIL_OUTBOX and SMTP_URL are both set: mails go either to the outbox or to SMTP, choose one',
    );
  // With https the portal faces real people: mails that only land in a folder would reach nobody.
  if (!mailOutbox && smtpUrl === undefined && publicUrl.startsWith('https:'))
    problems.push(
      'PUBLIC_URL is https:// but SMTP_URL is not set: mails would only be written to DATA_DIR/outbox and reach nobody. Set SMTP_URL, or MAIL_OUTBOX=1 to use the outbox on purpose (trying it out)',
    );

  const mailFrom = str('MAIL_FROM') ?? `Amtsbote <no-reply@${hostnameOf(publicUrl)}>`;

  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl,
    blobStore,
    smtpUrl,
    mailOutbox,
    mailFrom,
    publicUrl,
    masterKey,
    logLevel: isLogLevel(level) ? level : 'info',
    trustProxyHops: int('TRUST_PROXY_HOPS', 0, 0, 10),
    defaultTenant,
    bodyLimit: int('BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    seedDemo: bool('SEED_DEMO', true),
    clamdUrl,
    scanIntervalMs: int('SCAN_INTERVAL', 30, 5, 3600) * 1000,
    oidc: oidcConfig(),
    accessLog: {
      enabled: bool('ACCESS_LOG', false),
      retentionDays: int('ACCESS_LOG_RETENTION_DAYS', 5, 1, 7),
    },
    orphanGraceMs: int('ORPHAN_BLOB_GRACE_HOURS', 24, 1, 24 * 30) * 3_600_000,
    outboundAllow,
    // 1 GiB: room for a few large uploads in flight, and time for an operator to react.
    readyMinFreeBytes: int('READY_MIN_FREE_BYTES', 1024 ** 3, 0, Number.MAX_SAFE_INTEGER),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** 32 bytes from 64 hex digits or base64/base64url; undefined for anything else. */
export function decodeKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return b.length === 32 ? b : undefined;
  }
  return undefined;
}

function hostnameOf(u: string): string {
  try {
    return new URL(u).hostname;
  } catch {
    return 'localhost';
  }
}

/**
 * For an issuer written as an address or as localhost: the refused range it lies in, so a
 * missing allowance stops the start instead of every sign-in. Names are resolved only when used.
 */
function literalRefusal(issuer: string, allow: readonly Cidr[]): string | undefined {
  let host: string;
  try {
    host = new URL(issuer).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  const policy = new OutboundPolicy(allow);
  const addresses = host === 'localhost' ? ['127.0.0.1', '::1'] : isIP(host) === 0 ? [] : [host];
  const refusals = addresses.map((a) => policy.refusal(a));
  if (refusals.length === 0 || refusals.some((r) => r === undefined)) return undefined;
  return `${host} (${refusals[0] ?? ''})`;
}
