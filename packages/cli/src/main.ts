import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Io } from './args.ts';
import { CommandError, UsageError } from './args.ts';

// Each command loads only what it needs: `encrypt` must not start the whole server stack.
const commands = {
  serve: async () => (await import('./commands/server.ts')).serveCommand,
  migrate: async () => (await import('./commands/server.ts')).migrateCommand,
  admin: async () => (await import('./commands/admin.ts')).admin,
  token: async () => (await import('./commands/admin.ts')).token,
  send: async () => (await import('./commands/transfer.ts')).sendCommand,
  fetch: async () => (await import('./commands/transfer.ts')).fetchCommand,
  keygen: async () => (await import('./commands/crypto.ts')).keygenCommand,
  encrypt: async () => (await import('./commands/crypto.ts')).encryptCommand,
  decrypt: async () => (await import('./commands/crypto.ts')).decryptCommand,
  keys: async () => (await import('./commands/keys.ts')).keysCommand,
} satisfies Record<string, () => Promise<(argv: string[], io: Io) => Promise<number | 'running'>>>;

function isCommand(name: string | undefined): name is keyof typeof commands {
  return name !== undefined && Object.hasOwn(commands, name);
}

/** An error from the portal's registry (AppError), in plain English; undefined for others. */
async function describeKnown(err: unknown): Promise<string | undefined> {
  if (typeof err !== 'object' || err === null || (err as { name?: unknown }).name !== 'AppError')
    return undefined;
  const { describe } = await import('@amtsbote/server/operations');
  return describe(err);
}

export const mainHelp = `Usage: amtsbote <command> [options]

Commands:
  serve                 start the portal
  migrate [--status]    bring the database schema up to date
  admin …               create authorities and staff, print login links
  token create …        print an API token for a staff member
  send …                send files to e-mail recipients (levels 1 and 2)
  fetch LINK [-o DIR]   download a received transfer, resuming broken downloads
  keygen -o FILE        create a key pair for end-to-end encryption
  encrypt …             encrypt a file or pipe to public keys or a passphrase
  decrypt …             decrypt a file or pipe made by encrypt
  keys show|lookup …    public keys and their fingerprints (own identity, the portal's)

Run "amtsbote <command> --help" for the options of a command.`;

/** Runs one command; returns its exit code, or 'running' when it keeps the process alive. */
export async function run(argv: string[], io: Io): Promise<number | 'running'> {
  const [command, ...rest] = argv;
  try {
    if (isCommand(command)) return await (await commands[command]())(rest, io);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(mainHelp);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}" (see amtsbote --help)`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`amtsbote: ${err.message}`);
      return 2;
    }
    const known = await describeKnown(err);
    if (err instanceof CommandError || known !== undefined) {
      io.err(`amtsbote: ${known ?? (err as Error).message}`);
      return 1;
    }
    io.err(
      `amtsbote: unexpected error: ${(err as Error).message}${io.env.DEBUG === undefined ? ' (set DEBUG=1 for details)' : ''}`,
    );
    if (io.env.DEBUG !== undefined) io.err(String((err as Error).stack));
    return 1;
  }
}

/** Entry point for the bin script and `node src/main.ts`: real stdout/stderr and exit code. */
export async function runFromProcess(): Promise<void> {
  const io: Io = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
  };
  const code = await run(process.argv.slice(2), io);
  if (code !== 'running') process.exitCode = code;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runFromProcess();
}
