/**
 * The bureau's feed: a folder (or the same folder served over HTTP) holding signed bundles and
 * a `feed.json` that lists them with their versions and effective dates. The hospital's
 * service reads `feed.json` with a conditional request and fetches only bundles it does not
 * have yet; the signature inside each bundle is what it trusts, not the feed.
 *
 * ```json
 * { "format": "preaudit-rulebook-feed/1", "updated_at": "2025-09-20T08:00:00.000Z",
 *   "bundles": [ { "id": "city-demo", "version": "2025.10.0", "effective_from": "2025-10-01",
 *                  "file": "city-demo-2025.10.0.bundle.json", "sha256": "<hex of the file>" } ] }
 * ```
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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

/** Validators from the last successful read, sent back to ask "changed since?". */
export interface FeedValidators {
  /** ETag of the last feed.json response. */
  etag?: string;
  /** Last-Modified of the last response (or the folder file's mtime). */
  lastModified?: string;
}

/** Result of reading a feed. */
export type FeedRead =
  | { status: 'not-modified'; validators: FeedValidators }
  | { status: 'ok'; feed: Feed; validators: FeedValidators };

const isHttp = (source: string) => /^https?:\/\//i.test(source);

/** The URL or path of feed.json for a source given as a folder, a feed.json path or a URL. */
export function feedLocation(source: string): string {
  if (isHttp(source)) return source.endsWith('.json') ? source : `${source.replace(/\/?$/, '/')}${FEED_FILE}`;
  return basename(source) === FEED_FILE ? source : join(source, FEED_FILE);
}

function parseFeed(text: string): Feed {
  const feed = JSON.parse(text) as Feed;
  if (feed?.format !== FEED_FORMAT || !Array.isArray(feed.bundles)) throw new Error(`not a ${FEED_FORMAT} document`);
  for (const [i, e] of feed.bundles.entries())
    if (typeof e?.id !== 'string' || typeof e.version !== 'string' || typeof e.file !== 'string')
      throw new Error(`bundles[${i}]: id, version and file are required`);
  return feed;
}

/** Options of network reads. */
export interface FeedFetchOptions {
  /** Give up on one request after this long. Default 30 s. */
  timeoutMs?: number;
}

/**
 * Reads feed.json, conditionally: over HTTP with If-None-Match / If-Modified-Since (a 304
 * means nothing changed), from a folder by the file's modification time. Throws when the feed
 * cannot be read (down, 5xx, not a feed): the poller backs off on that.
 */
export async function readFeed(source: string, validators: FeedValidators = {}, options: FeedFetchOptions = {}): Promise<FeedRead> {
  const location = feedLocation(source);
  if (!isHttp(location)) {
    const stat = statSync(location);
    // mtimeMs as well as the HTTP-style date: two writes within one second still differ.
    const mtime = `${stat.mtime.toUTCString()}#${stat.mtimeMs}`;
    if (validators.lastModified === mtime) return { status: 'not-modified', validators };
    return { status: 'ok', feed: parseFeed(readFileSync(location, 'utf8')), validators: { lastModified: mtime } };
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const res = await fetch(location, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  if (res.status === 304) {
    await res.body?.cancel();
    return { status: 'not-modified', validators };
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`feed ${location} answered HTTP ${res.status}`);
  }
  const feed = parseFeed(await res.text());
  const next: FeedValidators = {};
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag) next.etag = etag;
  if (lastModified) next.lastModified = lastModified;
  return { status: 'ok', feed, validators: next };
}

/** Fetches one bundle file listed by the feed, as text; checks the feed's hash when it gives one. */
export async function fetchFeedBundle(source: string, entry: FeedEntry, options: FeedFetchOptions = {}): Promise<string> {
  const location = feedLocation(source);
  let text: string;
  if (isHttp(location)) {
    const url = new URL(entry.file, location).href;
    const res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`bundle ${url} answered HTTP ${res.status}`);
    }
    text = await res.text();
  } else {
    // A feed folder only ever points at files inside itself.
    if (entry.file.includes('/') || entry.file.includes('\\') || entry.file.startsWith('.'))
      throw new Error(`feed entry file ${entry.file} is not a plain file name`);
    text = readFileSync(join(location, '..', entry.file), 'utf8');
  }
  if (entry.sha256 && sha256Hex(text) !== entry.sha256)
    throw new Error(`bundle ${entry.file} does not match the SHA-256 the feed lists (still being uploaded?)`);
  return text;
}
