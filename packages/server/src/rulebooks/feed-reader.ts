/**
 * Reading the bureau's feed (the format is @preaudit/rulebook-bundle's feed.ts): feed.json
 * conditionally, then the bundles it lists, from a folder or over HTTP within bounds (origin,
 * redirects, bytes, time), since the feed itself is not trusted. The poller (feed-poller.ts)
 * calls these on a timer.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FEED_FILE, parseFeed, sha256Hex, type Feed, type FeedEntry } from '@preaudit/rulebook-bundle';
import { boundedFetch, originOf } from './bounded-fetch.js';

/** Validators from the last successful read, sent back to ask "changed since?". */
export interface FeedValidators {
  /** ETag of the last feed.json response. */
  etag?: string;
  /** Last-Modified of the last response (or the folder file's mtime). */
  lastModified?: string;
}

/** Result of reading a feed. */
export type FeedRead = { status: 'not-modified'; validators: FeedValidators } | { status: 'ok'; feed: Feed; validators: FeedValidators };

const isHttp = (source: string) => /^https?:\/\//i.test(source);

/** The URL or path of feed.json for a source given as a folder, a feed.json path or a URL. */
function feedLocation(source: string): string {
  if (isHttp(source)) return source.endsWith('.json') ? source : `${source.replace(/\/?$/, '/')}${FEED_FILE}`;
  return basename(source) === FEED_FILE ? source : join(source, FEED_FILE);
}

/** Default cap of feed.json, bytes (a feed lists bundles, it does not carry them). */
const DEFAULT_MAX_FEED_BYTES = 1024 * 1024;

/** Default cap of one bundle, bytes (the same as an upload's body limit). */
const DEFAULT_MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

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
    if (entry.file.includes('/') || entry.file.includes('\\') || entry.file.startsWith('.')) throw new Error(`feed entry file ${entry.file} is not a plain file name`);
    text = readCapped(join(location, '..', entry.file), maxBytes, 'bundle');
  }
  if (entry.sha256 && sha256Hex(text) !== entry.sha256) throw new Error(`bundle ${entry.file} does not match the SHA-256 the feed lists (still being uploaded?)`);
  return text;
}
