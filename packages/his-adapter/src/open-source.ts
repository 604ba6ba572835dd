/**
 * Opening any source from its mapping file's configuration.
 */
import type { SourceConfig } from './config/source-config.js';
import type { AuditSource } from './source.js';

/** Opens a database or web-service source; database mappings are checked against the views first. */
export async function openSource(config: SourceConfig): Promise<AuditSource> {
  if (config.kind === 'database') {
    const { DbSource } = await import('./db/view-source.js');
    return DbSource.open(config);
  }
  const { SoapSource } = await import('./soap/soap-source.js');
  if (config.code_map) {
    const { DbSource } = await import('./db/view-source.js');
    // Only the 对照 view is read from this database.
    const views = { code_map: config.code_map.views.code_map || {}, encounters: false, diagnoses: false, orders: false, operations: false } as const;
    const codeSource = await DbSource.open({ ...config.code_map, views });
    return SoapSource.open(config, codeSource.codeMapper, () => codeSource.close());
  }
  return SoapSource.open(config);
}
