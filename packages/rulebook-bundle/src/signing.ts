/**
 * Ed25519 signatures over a bundle's manifest (node:crypto, no extra dependency). The signed
 * bytes are a domain tag plus the canonical JSON of the manifest, so a signature made for
 * anything else never verifies as a bundle signature.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { BUNDLE_FORMAT, type BundleManifest, type RulebookBundle } from './bundle.js';
import type { Refusal } from './refusals.js';

/** A fresh signing key pair, both halves PEM (PKCS#8 private, SPKI public). */
export interface SigningKeys {
  /** Private key, PKCS#8 PEM: the bureau keeps it. */
  privateKeyPem: string;
  /** Public key, SPKI PEM: every hospital configures it as trusted. */
  publicKeyPem: string;
  /** Its key id. */
  keyId: string;
}

/** Generates an Ed25519 key pair for a bureau. */
export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Key id: the first 16 hex digits of the SHA-256 of the public key's SPKI DER. */
export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** The exact bytes a signature covers. */
export function signedBytes(manifest: BundleManifest): Buffer {
  return Buffer.from(`${BUNDLE_FORMAT}\n${canonicalJson(manifest)}`, 'utf8');
}

/**
 * Signs a bundle with an Ed25519 private key (PEM) and returns a new bundle carrying the
 * signature; an earlier signature by the same key is replaced.
 */
export function signBundle(bundle: RulebookBundle, privateKeyPem: string, options: { now?: Date } = {}): RulebookBundle {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`signing key must be Ed25519, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  const keyId = keyIdOf(createPublicKey(privateKey));
  const sig = sign(null, signedBytes(bundle.manifest), privateKey).toString('base64');
  return {
    ...bundle,
    signatures: [...bundle.signatures.filter((s) => s.key_id !== keyId), { key_id: keyId, alg: 'ed25519', sig, signed_at: (options.now ?? new Date()).toISOString() }],
  };
}

/** Trusted public keys by key id, parsed once. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

/**
 * Parses PEM public keys (several may share one string, as in a keys file) into a key-id map.
 * Throws on a key that is not an Ed25519 public key: a bad trust configuration must stop the
 * service from starting rather than silently trust nobody.
 */
export function parseTrustedKeys(pems: readonly string[]): TrustedKeys {
  const map = new Map<string, KeyObject>();
  for (const text of pems) {
    const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g);
    if (!blocks) throw new Error('trusted key is not a PEM public key (-----BEGIN PUBLIC KEY-----)');
    for (const pem of blocks) {
      const key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`trusted key must be Ed25519, got ${key.asymmetricKeyType}`);
      map.set(keyIdOf(key), key);
    }
  }
  return map;
}

/**
 * Accepts the bundle when at least one signature by a trusted key verifies. A signature by an
 * unknown key is ignored; one by a trusted key that does not verify is reported, since it
 * means the manifest changed after signing.
 */
export function verifyBundleSignatures(bundle: RulebookBundle, trusted: TrustedKeys): { ok: true; keyId: string } | { ok: false; refusals: Refusal[] } {
  const bytes = signedBytes(bundle.manifest);
  const refusals: Refusal[] = [];
  if (bundle.signatures.length === 0) return { ok: false, refusals: [{ reason: 'bad_signature', field: 'signatures', message: '规则包未签名' }] };
  for (const [i, s] of bundle.signatures.entries()) {
    const key = trusted.get(s.key_id);
    if (!key) {
      refusals.push({ reason: 'bad_signature', field: `signatures[${i}]`, message: `签名密钥 ${s.key_id} 不在受信任的医保局公钥中` });
      continue;
    }
    let valid = false;
    try {
      valid = verify(null, bytes, key, Buffer.from(s.sig, 'base64'));
    } catch {
      valid = false;
    }
    if (valid) return { ok: true, keyId: s.key_id };
    refusals.push({ reason: 'bad_signature', field: `signatures[${i}]`, message: `密钥 ${s.key_id} 的签名验证失败（签名后清单被改动）` });
  }
  return { ok: false, refusals };
}
