export { buildApp } from './app.ts';
export { loadConfig, ConfigError } from './config.ts';
export type { Config } from './config.ts';
export type { AppDeps } from './deps.ts';
export { serve, openDeps, stopOnSignals } from './serve.ts';
export type { RunningPortal } from './serve.ts';
export { errorRegistry, AppError } from './errors.ts';
export type { ErrorCode } from './errors.ts';
// For the job runner: once a year, each organisation's access changes go to its administrators.
export { runYearlyMembershipReports } from './modules/organisations/index.ts';
