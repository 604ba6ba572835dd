/**
 * The HIS sources a service knows, by name. Jobs name a source; they never carry connection
 * details, so an API caller cannot point the service at an arbitrary database.
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { loadSourceConfig, validateSourceConfig, SourceConfigError, type SourceConfig } from '@preaudit/his-adapter';
import type { ResolvedAuditJobsOptions } from './options.js';
import { SOURCE_FILE } from './source-variables.js';

/** Named sources, loaded (and validated) on first use. */
export class SourceRegistry {
  private readonly entries = new Map<string, string | SourceConfig>();

  constructor(private readonly options: ResolvedAuditJobsOptions) {
    for (const [name, entry] of Object.entries(options.sources)) this.entries.set(name, entry);
    if (options.sourcesDir) {
      for (const file of readdirSync(options.sourcesDir).sort()) {
        if (!SOURCE_FILE.test(file)) continue;
        const name = basename(file, extname(file));
        if (!this.entries.has(name)) this.entries.set(name, join(options.sourcesDir, file));
      }
    }
  }

  /** Source names. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** Whether a source of that name exists. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The validated configuration of a source; throws SourceConfigError listing its problems. */
  async config(name: string): Promise<SourceConfig> {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new Error(`unknown source ${name}`);
    if (typeof entry === 'string') return loadSourceConfig(entry, { env: this.options.env });
    const checked = validateSourceConfig(entry);
    if (!checked.ok) throw new SourceConfigError(checked.problems, `source ${name}`);
    return checked.config;
  }
}
