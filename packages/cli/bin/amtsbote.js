#!/usr/bin/env node
// The CLI is TypeScript run directly by Node's type stripping (Node >= 22.18 / 23.6).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `amtsbote: needs Node.js 22.18 or newer (this is ${process.versions.node}). ` +
      'Inside the repository, `npx amtsbote` uses the pinned Node 24.\n',
  );
  process.exit(1);
}
const { runFromProcess } = await import('../src/main.ts');
await runFromProcess();
