// amtsbote keys show / keys lookup: public keys and their fingerprints (docs/crypto.md,
// "Fingerprints"), so a person can compare the digits the portal shows with what the CLI sees.
import { exportPublicKey, fingerprint, isCryptoError } from '@amtsbote/crypto';
import type { Io } from '../args.ts';
import { CommandError, parse, required, UsageError } from '../args.ts';
import { loadIdentityFile } from './e2e-transfer.ts';

export const keysHelp = `Usage: amtsbote keys show --identity FILE --email ADDRESS
       amtsbote keys lookup EMAIL [EMAIL]... --server URL --token TOKEN

show    prints the public key of an identity file (amtsbote keygen) and its
        fingerprint for ADDRESS: 60 digits in 12 groups of 5, bound to key and address.
lookup  asks the portal's key directory which keys it holds for each EMAIL and prints
        every answer with its fingerprint ("no key" when the person has none yet).
        TOKEN: a staff API token (amtsbote token create); also read from AMTSBOTE_TOKEN,
        URL also from AMTSBOTE_SERVER.

Compare the digits with the ones the person sees on their key page (or in the notice
mail after a key change): if every digit matches, it is their key.`;

/** The fingerprint of a key for an address, or a one-line reason it has none. */
async function fingerprintOf(publicKey: string, email: string): Promise<string> {
  try {
    return await fingerprint(publicKey, email);
  } catch (err) {
    if (isCryptoError(err)) throw new CommandError(`the key for ${email} is not a valid public key`);
    throw err;
  }
}

async function show(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('keys show', argv, {
    identity: { type: 'string', short: 'i' },
    email: { type: 'string' },
  });
  if (values.help === true) {
    io.out(keysHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError('keys show: no positional arguments (see --help)');
  const identity = required('keys show', 'identity', values.identity);
  const email = required('keys show', 'email', values.email);
  const pair = await loadIdentityFile(identity);
  const publicKey = await exportPublicKey(pair.publicKey);
  io.out(`public key:  ${publicKey}`);
  io.out(`fingerprint: ${await fingerprintOf(publicKey, email)}`);
  return 0;
}

interface LookupAnswer {
  recipients: { email: string; publicKey: string | null }[];
}

async function lookup(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('keys lookup', argv, {
    server: { type: 'string' },
    token: { type: 'string' },
  });
  if (values.help === true) {
    io.out(keysHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('keys lookup: name at least one EMAIL (see --help)');
  const server = required('keys lookup', 'server', values.server ?? io.env.AMTSBOTE_SERVER);
  const token = required('keys lookup', 'token', values.token ?? io.env.AMTSBOTE_TOKEN);
  let url: URL;
  try {
    url = new URL('/api/v1/keys/lookup', server);
  } catch {
    throw new UsageError(`keys lookup: --server is not a URL: ${server}`);
  }
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ emails: positionals }),
  });
  const text = await res.text();
  if (!res.ok) {
    const code = /"code"\s*:\s*"([A-Z_]+)"/.exec(text)?.[1];
    throw new CommandError(`keys lookup: ${code ?? `HTTP ${String(res.status)}`}`);
  }
  const answer = JSON.parse(text) as LookupAnswer;
  for (const r of answer.recipients) {
    io.out(r.email);
    if (r.publicKey === null) io.out('  no key');
    else {
      io.out(`  public key:  ${r.publicKey}`);
      io.out(`  fingerprint: ${await fingerprintOf(r.publicKey, r.email)}`);
    }
  }
  return 0;
}

/** `amtsbote keys show|lookup …` */
export async function keysCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'show') return show(rest, io);
  if (sub === 'lookup') return lookup(rest, io);
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(keysHelp);
    return sub === undefined ? 2 : 0;
  }
  throw new UsageError(`keys: unknown subcommand "${sub}" (show or lookup; see --help)`);
}
