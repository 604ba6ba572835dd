/**
 * Rulebook versions compare by Semantic Versioning precedence (the `semver` package): numeric
 * parts numerically ("2025.10.0" > "2025.9.3"), and a pre-release before its release
 * ("2025.8.0-rc1" < "2025.8.0"). Rulebook versions are dotted numbers of any length
 * (rulebook.schema.json), so a short one is padded ("1.2" = "1.2.0") and parts beyond the
 * third, which semver has no place for, break a tie numerically ("1.2.3.4" > "1.2.3").
 */
import semver from 'semver';

/** -1 when a < b, 0 when equal, 1 when a > b; a sort comparator. Throws on a string that is no version. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const x = parseVersion(a);
  const y = parseVersion(b);
  const c = semver.compare(x.semver, y.semver);
  if (c !== 0) return c;
  for (let i = 0; i < Math.max(x.extra.length, y.extra.length); i++) {
    const d = (x.extra[i] ?? 0) - (y.extra[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Whether `version` is one `compareVersions` can order. */
export function isVersion(version: string): boolean {
  try {
    parseVersion(version);
    return true;
  } catch {
    return false;
  }
}

interface ParsedVersion {
  semver: semver.SemVer;
  /** Numeric parts after the third. */
  extra: number[];
}

function parseVersion(version: string): ParsedVersion {
  const m = /^v?(\d+(?:\.\d+)*)([-+].*)?$/.exec(version.trim());
  const parts = m ? m[1].split('.') : [];
  const core = [...parts.slice(0, 3), '0', '0']
    .slice(0, 3)
    .map((p) => String(Number(p)))
    .join('.');
  const parsed = m ? semver.parse(`${core}${m[2] ?? ''}`) : null;
  if (!parsed) throw new Error(`not a version: ${JSON.stringify(version)} (expected dotted numbers, e.g. 2025.8.0 or 2025.8.0-rc1)`);
  return { semver: parsed, extra: parts.slice(3).map(Number) };
}
