/**
 * The rulebooks a batch job judges by: the active one, plus every version that has been in
 * force (active or retired), so each order is judged by the version in force on its order
 * date. Uses `app.rulebooks.versions()` / `compiledOf()` when the store offers them.
 */
import type { CompiledRulebook } from '@preaudit/core-rules';
import type { RulebookSet } from '@preaudit/his-adapter';

interface VersionedStore {
  active(): CompiledRulebook;
  versions?(): Array<{ ref: string; state: string }>;
  compiledOf?(ref: string): Promise<CompiledRulebook | undefined>;
}

/** Collects the rulebook set from the service's store. */
export async function rulebookSet(store: VersionedStore): Promise<RulebookSet> {
  const active = store.active();
  if (typeof store.versions !== 'function' || typeof store.compiledOf !== 'function') return { active };
  const versions: CompiledRulebook[] = [];
  for (const v of store.versions()) {
    if (v.state !== 'active' && v.state !== 'retired') continue;
    const compiled = v.state === 'active' ? active : await store.compiledOf(v.ref);
    if (compiled && !versions.includes(compiled)) versions.push(compiled);
  }
  if (!versions.includes(active)) versions.push(active);
  return { active, versions };
}
