import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { makeZip } from 'client-zip';
import type { FastifyReply } from 'fastify';
import type { Tenant } from '../tenants/index.ts';
import { contentDisposition, readFile } from '../transfers/index.ts';
import type { ExportDeps, ExportSubject } from './export.ts';
import { buildExport } from './export.ts';
import { EXPORT_README } from './readme.ts';

/** The export as a streamed ZIP: README.md (de/en), data.json, files/…; nothing staged on disk. */
export async function sendExportZip(
  deps: ExportDeps,
  reply: FastifyReply,
  tenant: Tenant,
  subject: ExportSubject,
): Promise<FastifyReply> {
  const { document, files } = await buildExport(deps, tenant, subject);
  const json = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
  const readme = Buffer.from(EXPORT_README, 'utf8');
  const modified = deps.clock.now();
  async function* entries() {
    yield { name: 'README.md', input: readme, lastModified: modified };
    yield { name: 'data.json', input: json, lastModified: modified };
    for (const f of files) {
      try {
        yield {
          name: f.path,
          size: f.size,
          input: await readFile(deps, tenant.id, f.fileId),
          lastModified: modified,
        };
      } catch {
        // Ended between listing and reading: the JSON still describes it.
      }
    }
  }
  const zip = makeZip(entries()) as unknown as NodeReadableStream<Uint8Array>;
  const day = modified.toISOString().slice(0, 10);
  return reply
    .header('content-disposition', contentDisposition(`amtsbote-daten-${day}.zip`))
    .header('cache-control', 'private, no-store')
    .type('application/zip')
    .send(Readable.fromWeb(zip));
}
