import t from 'tap';
import type { CompiledRulebook } from '@preaudit/core-rules';
import { rulebookSet } from './rulebook-set.js';

const book = (version: string) => ({ id: 'city', version, digest: `city@${version}`, effective_from: '2025-01-01', effective_to: null }) as unknown as CompiledRulebook;

t.test('without versions in the store, the active rulebook alone', async (t) => {
  const active = book('2');
  t.same(await rulebookSet({ active: () => active }), { active });
});

t.test('active and retired versions that still compile; pending and scheduled ones never judge', async (t) => {
  const active = book('3');
  const retired = book('2');
  const compiled = new Map([
    ['city@2', retired],
    ['city@4', book('4')],
  ]);
  const set = await rulebookSet({
    active: () => active,
    versions: () => [
      { ref: 'city@4', state: 'scheduled' },
      { ref: 'city@3', state: 'active' },
      { ref: 'city@2', state: 'retired' },
      { ref: 'city@1', state: 'retired' },
    ],
    compiledOf: async (ref) => compiled.get(ref),
  });
  t.equal(set.active, active);
  t.same(
    set.versions!.map((b) => b.digest),
    ['city@3', 'city@2'],
    'city@1 no longer compiles and is left out',
  );
});
