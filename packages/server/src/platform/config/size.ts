/**
 * Sizes as people write them in settings: bytes, or with a k, m or g suffix (powers of 1024).
 */

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `4m` → 4194304; undefined when the text is no size. */
export function parseSize(text: string): number | undefined {
  const m = /^([0-9]+)([kmg]?)$/i.exec(text.trim());
  return m ? Number(m[1]) * UNITS[m[2].toLowerCase()] : undefined;
}
