/**
 * The bureau's feed: a folder (or the same folder served over HTTP) holding signed bundles and
 * a `feed.json` that lists them with their versions and effective dates. This file is the
 * format and the bureau's side (writing it); the hospital's service reads `feed.json` with a
 * conditional request and fetches only bundles it does not have yet (packages/server, feed
 * reader and poller); the signature inside each bundle is what it trusts, not the feed.
 *
 * ```json
 * { "format": "preaudit-rulebook-feed/1", "updated_at": "2025-09-20T08:00:00.000Z",
 *   "bundles": [ { "id": "city-demo", "version": "2025.10.0", "effective_from": "2025-10-01",
 *                  "file": "city-demo-2025.10.0.bundle.json", "sha256": "<hex of the file>" } ] }
 * ```
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, sha256Hex } from './bundle.js';
import { compareVersions } from './version.js';

/** Format tag of feeds. */
export const FEED_FORMAT = 'preaudit-rulebook-feed/1';

/** The feed's index file name. */
export const FEED_FILE = 'feed.json';

/** One bundle listed by a feed. */
export interface FeedEntry {
  /** Rulebook id. */
  id: string;
  /** Rulebook version. */
  version: string;
  /** When it comes into force. */
  effective_from: string;
  /** Bundle file, relative to the feed (a name in the folder, or a relative URL). */
  file: string;
  /** SHA-256 of the bundle file: lets a reader notice a re-published bundle. */
  sha256: string;
}

/** feed.json */
export interface Feed {
  /** FEED_FORMAT. */
  format: typeof FEED_FORMAT;
  /** When the feed was written. */
  updated_at: string;
  /** Bundles, oldest version first per rulebook. */
  bundles: FeedEntry[];
}

/**
 * Writes `feed.json` for a folder of bundles (`*.bundle.json`): what a bureau runs after
 * copying a newly signed bundle into the folder it publishes.
 */
export function writeFeedFolder(dir: string, options: { now?: Date } = {}): Feed {
  const bundles: FeedEntry[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.bundle.json')) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    const parsed = parseBundle(text);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.refusals.map((r) => `${r.field ?? ''} ${r.message}`).join('; ')}`);
    const rb = parsed.bundle.manifest.rulebook;
    bundles.push({ id: rb.id, version: rb.version, effective_from: rb.effective_from, file: name, sha256: sha256Hex(text) });
  }
  bundles.sort((a, b) => (a.id === b.id ? compareVersions(a.version, b.version) : a.id < b.id ? -1 : 1));
  const feed: Feed = { format: FEED_FORMAT, updated_at: (options.now ?? new Date()).toISOString(), bundles };
  writeFileSync(join(dir, FEED_FILE), `${JSON.stringify(feed, null, 2)}\n`);
  return feed;
}

/** At most this many bundles listed in one feed. */
export const MAX_FEED_ENTRIES = 1000;

/** Parses feed.json text; throws naming what is wrong (not a feed, too many entries, an entry without id/version/file). */
export function parseFeed(text: string): Feed {
  const feed = JSON.parse(text) as Feed;
  if (feed?.format !== FEED_FORMAT || !Array.isArray(feed.bundles)) throw new Error(`not a ${FEED_FORMAT} document`);
  if (feed.bundles.length > MAX_FEED_ENTRIES) throw new Error(`bundles: ${feed.bundles.length} entries, at most ${MAX_FEED_ENTRIES}`);
  for (const [i, e] of feed.bundles.entries())
    if (typeof e?.id !== 'string' || typeof e.version !== 'string' || typeof e.file !== 'string' || e.file.length > 2000)
      throw new Error(`bundles[${i}]: id, version and file are required`);
  return feed;
}
