/**
 * Passwords: scrypt (node:crypto) with a random 16-byte salt per password; the cost parameters are
 * stored with the hash (`scrypt$N$r$p$salt$hash`, base64), so they can be raised later without
 * invalidating stored hashes. Comparison is timing-safe. Plus the minimum password policy.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { FieldProblem } from '../platform/errors.js';

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, tens of ms per hash). */
/** scrypt cost parameters. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: Readonly<ScryptCost> = Object.freeze({ N: 1 << 15, r: 8, p: 1 });
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, opts: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...opts, maxmem: 256 * opts.N * opts.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, KEY_LEN, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password with a fresh salt. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches `stored`; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length !== KEY_LEN) return false;
  const key = await scrypt(password, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}

/** A hash no password matches, computed once per cost: unknown users cost the same time as known ones. */
const dummies = new Map<string, Promise<string>>();
export function dummyHash(cost: ScryptCost = DEFAULT_SCRYPT): Promise<string> {
  const k = `${cost.N}/${cost.r}/${cost.p}`;
  let d = dummies.get(k);
  if (!d) dummies.set(k, (d = hashPassword(randomBytes(24).toString('base64'), cost)));
  return d;
}

/** Shortest and longest password accepted. */
const PASSWORD_MIN = 10;
const PASSWORD_MAX = 256;

/**
 * The minimum policy: 10–256 characters, at least two kinds of letters, digits and other
 * characters, and not the login name. Returns the problems (empty when acceptable).
 */
export function passwordProblems(password: string, username: string, field = 'password'): FieldProblem[] {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) return [{ field, message: `密码至少 ${PASSWORD_MIN} 个字符` }];
  if (chars.length > PASSWORD_MAX) return [{ field, message: `密码最多 ${PASSWORD_MAX} 个字符` }];
  const kinds = [/[A-Za-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 2) return [{ field, message: '密码须包含字母、数字、其他字符中的至少两类' }];
  if (password.toLowerCase().includes(username.toLowerCase())) return [{ field, message: '密码不能包含登录名' }];
  if (new Set(chars).size < 4) return [{ field, message: '密码过于简单（重复字符）' }];
  return [];
}
