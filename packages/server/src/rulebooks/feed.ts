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
import { boundedFetch, originOf } from './bounded-fetch.js';
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

/** At most this many bundles listed in one feed. */
export const MAX_FEED_ENTRIES = 1000;

function parseFeed(text: string): Feed {
  const feed = JSON.parse(text) as Feed;
  if (feed?.format !== FEED_FORMAT || !Array.isArray(feed.bundles)) throw new Error(`not a ${FEED_FORMAT} document`);
  if (feed.bundles.length > MAX_FEED_ENTRIES) throw new Error(`bundles: ${feed.bundles.length} entries, at most ${MAX_FEED_ENTRIES}`);
  for (const [i, e] of feed.bundles.entries())
    if (typeof e?.id !== 'string' || typeof e.version !== 'string' || typeof e.file !== 'string' || e.file.length > 2000)
      throw new Error(`bundles[${i}]: id, version and file are required`);
  return feed;
}

/** Default cap of feed.json, bytes (a feed lists bundles, it does not carry them). */
export const DEFAULT_MAX_FEED_BYTES = 1024 * 1024;

/** Default cap of one bundle, bytes (the same as an upload's body limit). */
export const DEFAULT_MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/**
 * Options of network reads. The feed is not trusted (only the signatures inside bundles are),
 * so what it can make the service fetch is bounded: where, how many hops, how long, how much.
 */
export interface FeedFetchOptions {
  /** Give up on one request (every redirect hop and the body included) after this long. Default 30 s. */
  timeoutMs?: number;
  /** Largest feed.json, bytes. Default 1 MiB. */
  maxFeedBytes?: number;
  /** Largest bundle, bytes. Default 64 MiB. */
  maxBundleBytes?: number;
  /** Redirect hops followed (each must stay on an allowed origin). Default 3. */
  maxRedirects?: number;
  /**
   * Origins besides the feed's own that bundles (and redirects) may come from, e.g. a CDN:
   * `https://cdn.ybj.example`. Default none: everything comes from the feed's origin.
   */
  allowedOrigins?: readonly string[];
}

const allowedOrigins = (location: string, options: FeedFetchOptions) => [originOf(location), ...(options.allowedOrigins ?? [])];

/** Reads a local file, refusing it past `max` bytes before reading it. */
function readCapped(path: string, max: number, what: string): string {
  const size = statSync(path).size;
  if (size > max) throw new Error(`${what} ${path}: ${size} bytes exceeds the limit of ${max} bytes`);
  return readFileSync(path, 'utf8');
}

/**
 * Reads feed.json, conditionally: over HTTP with If-None-Match / If-Modified-Since (a 304
 * means nothing changed), from a folder by the file's modification time. Throws when the feed
 * cannot be read (down, 5xx, not a feed, over a limit): the poller backs off on that.
 */
export async function readFeed(source: string, validators: FeedValidators = {}, options: FeedFetchOptions = {}): Promise<FeedRead> {
  const location = feedLocation(source);
  const maxBytes = options.maxFeedBytes ?? DEFAULT_MAX_FEED_BYTES;
  if (!isHttp(location)) {
    const stat = statSync(location);
    // mtimeMs as well as the HTTP-style date: two writes within one second still differ.
    const mtime = `${stat.mtime.toUTCString()}#${stat.mtimeMs}`;
    if (validators.lastModified === mtime) return { status: 'not-modified', validators };
    return { status: 'ok', feed: parseFeed(readCapped(location, maxBytes, 'feed')), validators: { lastModified: mtime } };
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const res = await boundedFetch(location, {
    what: 'feed',
    headers,
    maxBytes,
    allowedOrigins: allowedOrigins(location, options),
    maxRedirects: options.maxRedirects,
    timeoutMs: options.timeoutMs,
  });
  if (res.status === 304) return { status: 'not-modified', validators };
  if (res.status < 200 || res.status > 299) throw new Error(`feed ${location} answered HTTP ${res.status}`);
  const feed = parseFeed(res.body.toString('utf8'));
  const next: FeedValidators = {};
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag) next.etag = etag;
  if (lastModified) next.lastModified = lastModified;
  return { status: 'ok', feed, validators: next };
}

/**
 * Fetches one bundle file listed by the feed, as text; checks the feed's hash when it gives one.
 * Over HTTP the file must resolve to the feed's origin (or an allowed one); in a folder it must
 * be a plain file name in that folder.
 */
export async function fetchFeedBundle(source: string, entry: FeedEntry, options: FeedFetchOptions = {}): Promise<string> {
  const location = feedLocation(source);
  const maxBytes = options.maxBundleBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
  let text: string;
  if (isHttp(location)) {
    let url: string;
    try {
      url = new URL(entry.file, location).href;
    } catch {
      throw new Error(`feed entry file ${entry.file.slice(0, 200)}: not a URL`);
    }
    const res = await boundedFetch(url, {
      what: 'bundle',
      maxBytes,
      allowedOrigins: allowedOrigins(location, options),
      maxRedirects: options.maxRedirects,
      timeoutMs: options.timeoutMs,
    });
    if (res.status < 200 || res.status > 299) throw new Error(`bundle ${url} answered HTTP ${res.status}`);
    text = res.body.toString('utf8');
  } else {
    // A feed folder only ever points at files inside itself.
    if (entry.file.includes('/') || entry.file.includes('\\') || entry.file.startsWith('.'))
      throw new Error(`feed entry file ${entry.file} is not a plain file name`);
    text = readCapped(join(location, '..', entry.file), maxBytes, 'bundle');
  }
  if (entry.sha256 && sha256Hex(text) !== entry.sha256)
    throw new Error(`bundle ${entry.file} does not match the SHA-256 the feed lists (still being uploaded?)`);
  return text;
}
