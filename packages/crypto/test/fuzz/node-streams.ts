/** The node:crypto stream implementation as a {@link StreamImplementation}, for the Node-side runners. */
import * as node from '../../src/node/index.node.ts';
import { encryptBytesWith, encryptStreamWith } from '../../src/node/stream.node.ts';
import type { StreamImplementation } from '../helpers.ts';

export const nodeStreams: StreamImplementation = {
  prefix: 'node:crypto: ',
  encryptStream: node.encryptStream,
  encryptStreamWith,
  decryptStream: node.decryptStream,
  encryptBytes: node.encryptBytes,
  encryptBytesWith,
  decryptBytes: node.decryptBytes,
  openStream: node.openStream,
  decryptChunk: node.decryptChunk,
};
