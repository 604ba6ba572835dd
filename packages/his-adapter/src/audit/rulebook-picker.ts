/**
 * Picking the rulebook version in force on a date: a claim from last March is judged under
 * the rules in force last March. Versions carry effective_from (inclusive) and effective_to
 * (exclusive, null = open-ended); when versions overlap the later start wins, then the higher
 * version number.
 */
import { compareVersions } from '@preaudit/rulebook-bundle';

/** What picking needs to know of a rulebook version. */
export interface RulebookVersionInfo {
  /** Rulebook id. */
  id: string;
  /** Version (numeric dotted compare). */
  version: string;
  /** First day in force (yyyy-MM-dd[ HH:mm:ss]). */
  effective_from: string;
  /** Last moment in force, exclusive; null = open-ended. */
  effective_to: string | null;
}

/** Rulebook version order (semver precedence): one implementation, in @preaudit/rulebook-bundle. */
export { compareVersions };

/** Normalised sortable text of a date: `yyyy-MM-dd HH:mm:ss`. */
function key(date: string): string {
  const t = date.trim().replace('T', ' ');
  return t.length === 10 ? `${t} 00:00:00` : t.slice(0, 19);
}

/** Whether `book` is in force at `date`. */
export function inForce(book: RulebookVersionInfo, date: string): boolean {
  const d = key(date);
  return key(book.effective_from) <= d && (book.effective_to == null || d < key(book.effective_to));
}

/**
 * The version in force on `date` among `books`. `preferred` (the active rulebook) wins whenever
 * it is in force, so a version withdrawn by a rollback never judges dates the active one covers;
 * it is also the answer when no version is in force or the date is unknown.
 */
export function pickRulebook<T extends RulebookVersionInfo>(books: readonly T[], date: string | undefined, preferred?: T): T | undefined {
  if (!date) return preferred ?? books[0];
  if (preferred && inForce(preferred, date)) return preferred;
  let best: T | undefined;
  for (const b of books) {
    if (!inForce(b, date)) continue;
    if (!best) {
      best = b;
      continue;
    }
    const c = key(b.effective_from).localeCompare(key(best.effective_from)) || compareVersions(b.version, best.version);
    if (c > 0) best = b;
  }
  return best ?? preferred;
}
