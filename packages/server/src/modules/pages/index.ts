// The pages module's public surface: other modules import from here, never from its files.
export { pageRoutes } from './routes.ts';
