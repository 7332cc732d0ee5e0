// The upload links module's public surface: other modules import from here, never from its files.
export { uploadLinkRoutes } from './plugin.ts';
export type { UploadLink, UploadLinkStatus } from './store.ts';
export { countUse, resolveUploadLink, uploadLinkById } from './service.ts';
