// The health module's public surface: the operator's liveness and readiness checks.
export { healthRoutes } from './routes.ts';
