/**
 * The national envelopes the tests send (test/fixtures), built from real codes:
 * 阿帕他胺片 XL02BBA326A001010102180 is limited to men (两库 batch 1, 药品区分性别使用
 * GZ10000301004000), so the male patient is clean and the female one violates.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures. */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** The rule the violating order breaks. */
export const RULE_ID = 'GZ10000301004000';
/** Its official name. */
export const RULE_NAME = '药品区分性别使用';

function read(name: string): Buffer {
  return readFileSync(path.join(FIXTURES_DIR, name));
}

/** 3101, male patient, 阿帕他胺片: no findings. */
export const clean3101 = (): string => read('envelope-3101-clean.json').toString('utf8');
/** 3101, female patient, 阿帕他胺片: one finding of GZ10000301004000. */
export const violating3101 = (): string => read('envelope-3101-violating.json').toString('utf8');
/** The same envelope encoded in GBK, as an ANSI HIS on Chinese Windows sends it. */
export const violating3101Gbk = (): Buffer => read('envelope-3101-violating.gbk.json');
/** The violating envelope with another infno (3102 事中, legacy 3660). */
export function violatingAs(infno: string): string {
  const envelope = JSON.parse(violating3101()) as { infno: string };
  envelope.infno = infno;
  return JSON.stringify(envelope);
}
/** examples/3660-legacy-camelcase.json: a legacy 3660 envelope (camelCase keys) of a female patient with 阿帕他胺片. */
export const legacy3660 = (): string => readFileSync(path.resolve(FIXTURES_DIR, '..', '..', '..', '..', 'examples', '3660-legacy-camelcase.json'), 'utf8');
/** 3103: the doctor continues despite warning `jrId` (dspo_way 1, with a reason). */
export function feedback3103(jrId: string): string {
  return read('envelope-3103-feedback.json').toString('utf8').replace('__JR_ID__', jrId);
}
