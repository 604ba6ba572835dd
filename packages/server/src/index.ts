/**
 * @preaudit/server: the real-time audit service (national 3101/3102/3103, /v1/check, CDS Hooks, SOAP).
 */
export { buildApp } from './app.js';
export type { AppOptions, Role } from './options.js';
export { ROLES } from './options.js';
export { main, configFromEnv, type ServerConfig } from './server.js';
export { seedRealtime, type SeedOptions } from './analytics/seed.js';
