/**
 * Finding the national insurance code (医保目录代码) among a FHIR CodeableConcept's codings:
 * a coding whose system says it is the national catalogue, else one whose code has a national
 * shape (and whose system is not a known international terminology, since SNOMED CT codes can be
 * 15 digits like service items).
 */

/** A FHIR Coding (the fields we read). */
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

/** Code shapes of the national catalogue and the hilist_type each implies. */
const SHAPES: Array<[RegExp, string]> = [
  [/^X[A-Z0-9]{22}$/, '101'], // western drugs, 23 characters
  [/^Z[A-Z0-9]{19}$/, '101'], // Chinese patent medicines, 20 characters
  [/^\d{15}$/, '201'], // medical service items, 15 digits
  [/^C[A-Z0-9]{26}$/, '301'], // consumables, 27 characters
];

const NATIONAL_SYSTEM = /nhsa|hsa\.gov\.cn|ybml|ybbm|hilist|insurance-catalog|医保/i;
const INTERNATIONAL_SYSTEM = /snomed|loinc|rxnorm|nlm\.nih\.gov|ndc|icd|whocc|atc|ucum|hl7\.org|cpt|hcpcs/i;

/** hilist_type implied by a code's shape, or undefined if the code has no national shape. */
export function nationalCodeType(code: string): string | undefined {
  for (const [re, type] of SHAPES) if (re.test(code)) return type;
  return undefined;
}

/** The coding carrying a national code, with its hilist_type (undefined when none does). */
export function findNationalCoding(codings: readonly Coding[] | undefined): { coding: Coding; hilistType: string | undefined } | undefined {
  // Not Array.isArray: it narrows a readonly array to any[]. Callers pass an array or undefined.
  if (!codings) return undefined;
  for (const c of codings) {
    if (c && typeof c.code === 'string' && c.code && typeof c.system === 'string' && NATIONAL_SYSTEM.test(c.system)) {
      return { coding: c, hilistType: nationalCodeType(c.code.trim()) };
    }
  }
  for (const c of codings) {
    if (!c || typeof c.code !== 'string') continue;
    if (typeof c.system === 'string' && INTERNATIONAL_SYSTEM.test(c.system)) continue;
    const type = nationalCodeType(c.code.trim());
    if (type) return { coding: c, hilistType: type };
  }
  return undefined;
}
