/**
 * De-identification of what is stored and logged: patient ids are masked (first and last
 * characters kept, so a clerk can still match a record against the HIS), names are dropped.
 */
import type { CheckData, PatientDto, ResultDto } from '@preaudit/core-rules';

/** `330102199001011234` → `33**************34`; short ids keep only their first character. */
export function maskId(id: string | undefined | null): string {
  if (id === undefined || id === null) return '';
  const s = String(id);
  if (s.length <= 2) return '*'.repeat(s.length);
  if (s.length <= 6) return s[0] + '*'.repeat(s.length - 1);
  const keep = s.length > 10 ? 2 : 1;
  return s.slice(0, keep) + '*'.repeat(s.length - 2 * keep) + s.slice(-keep);
}

/** Findings as stored: patient ids masked, the patient's name cut out of any text. */
export function maskFindings(results: readonly ResultDto[], names: readonly string[] = []): ResultDto[] {
  return results.map((r) => ({
    ...r,
    patn_id: maskId(r.patn_id),
    vola_cont: scrubNames(r.vola_cont, names),
    vola_evid: scrubNames(r.vola_evid, names),
    judge_result_detail_dtos: r.judge_result_detail_dtos.map((d) => ({ ...d, patn_id: maskId(d.patn_id) })),
  }));
}

/** The request as stored for replay: same data, names removed, patient ids masked consistently. */
export function deidentify(data: CheckData): CheckData {
  return {
    ...data,
    patient_dtos: data.patient_dtos.map((p): PatientDto => {
      const { patn_name: _name, fsi_his_data_dto: _his, ...rest } = p;
      return { ...rest, patn_id: maskId(p.patn_id) };
    }),
  };
}

/** Names of the patients of a request (to cut them out of texts). */
export function patientNames(data: CheckData): string[] {
  const names: string[] = [];
  for (const p of data.patient_dtos) if (p.patn_name && p.patn_name.length > 1) names.push(p.patn_name);
  return names;
}

function scrubNames(text: string | undefined, names: readonly string[]): string {
  if (!text || names.length === 0) return text ?? '';
  let out = text;
  for (const n of names) if (out.includes(n)) out = out.split(n).join('*'.repeat(n.length));
  return out;
}
