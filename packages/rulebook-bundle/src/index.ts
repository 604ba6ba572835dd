/**
 * @preaudit/rulebook-bundle: a rulebook as one signed file, and everything a bureau and a
 * hospital agree on about it: the bundle format, Ed25519 signing over RFC 8785 canonical JSON,
 * the admission checks, the readable diff, the feed format and version order. The bureau's
 * command verbs are in `@preaudit/rulebook-bundle/cli`; test fixtures in `/testing`.
 */
export * from './bundle.js';
export * from './signing.js';
export { canonicalJson } from './canonical-json.js';
export * from './check-bundle.js';
export * from './diff.js';
export * from './feed.js';
export { readTable, type ReadTable } from './knowledge-table.js';
export * from './refusals.js';
export { compareVersions, isVersion } from './version.js';
