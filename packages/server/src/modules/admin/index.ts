// The admin module's public surface: other modules import from here, never from its files.
export { adminRoutes } from './routes.ts';
