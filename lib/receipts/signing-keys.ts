// The keys that sign downloadable receipts, and the public set anyone verifies them with
// (/.well-known/jwks.json). One key signs; earlier keys stay published so receipts they signed keep
// verifying by their key id after a rotation. Keys are JWKs: Ed25519 ("OKP") or P-256 ("EC").
// Pure: no env, no database; env.ts parses the variables with these schemas.
import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { z } from "zod";

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const kid = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, "a kid of 1-64 letters, digits or . _ : -");

const okpPublic = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: b64url, kid });
const ecPublic = z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: b64url, y: b64url, kid });

/** A private signing key (the `d` member present). */
export const signingJwkSchema = z.union([
  okpPublic.extend({ d: b64url }).passthrough(),
  ecPublic.extend({ d: b64url }).passthrough(),
]);
/** A public key only: a private member here would be published, so it is refused. */
export const publicJwkSchema = z.union([okpPublic.strict(), ecPublic.strict()]);

export type SigningJwk = z.infer<typeof signingJwkSchema>;
export type PublicJwk = z.infer<typeof publicJwkSchema>;
export type ReceiptAlg = "EdDSA" | "ES256";

export type ReceiptSigningKeys = {
  signing: { kid: string; alg: ReceiptAlg; key: KeyObject };
  /** The signing key's public half first, then the earlier keys still published. */
  published: PublicJwk[];
};

export function algOf(jwk: { kty: "OKP" | "EC" }): ReceiptAlg {
  return jwk.kty === "OKP" ? "EdDSA" : "ES256";
}

export function publicHalf(jwk: SigningJwk): PublicJwk {
  return jwk.kty === "OKP"
    ? { kty: "OKP", crv: "Ed25519", x: jwk.x, kid: jwk.kid }
    : { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid: jwk.kid };
}

/**
 * The signing key and the published set. Throws (with the reason) when the private key does not
 * match its own public members, or two published keys share a kid: a verifier picks keys by kid.
 */
export function receiptSigningKeys(signing: SigningJwk, earlier: PublicJwk[]): ReceiptSigningKeys {
  const key = createPrivateKey({ key: signing as JWK & { kty: string }, format: "jwk" });
  const derived = createPublicKey(key).export({ format: "jwk" });
  if (derived.x !== signing.x || (signing.kty === "EC" && derived.y !== signing.y))
    throw new Error(`the private key "${signing.kid}" does not match its public members x/y`);
  const published = [publicHalf(signing), ...earlier];
  const kids = new Set<string>();
  for (const k of published) {
    if (kids.has(k.kid)) throw new Error(`two published receipt keys share the kid "${k.kid}"`);
    kids.add(k.kid);
  }
  return { signing: { kid: signing.kid, alg: algOf(signing), key }, published };
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * An Ed25519 key derived from a secret (HKDF-SHA256), for the local stack: the same secret gives
 * the same key after a restart, so receipts downloaded yesterday still verify. Its kid names the
 * key's public half, so a different secret can never be mistaken for it.
 */
export function derivedSigningJwk(secret: Uint8Array): SigningJwk {
  const seed = Buffer.from(hkdfSync("sha256", secret, new Uint8Array(0), "kiosk receipt signing key v1", 32));
  const key = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const jwk = key.export({ format: "jwk" });
  const x = jwk.x!;
  const id = createHash("sha256").update(x).digest("base64url").slice(0, 12);
  return { kty: "OKP", crv: "Ed25519", x, d: jwk.d!, kid: `derived-${id}` };
}

/** The JWK Set document served at /.well-known/jwks.json. */
export function jwksDocument(keys: ReceiptSigningKeys): {
  keys: (PublicJwk & { alg: ReceiptAlg; use: "sig" })[];
} {
  return { keys: keys.published.map((k) => ({ ...k, alg: algOf(k), use: "sig" as const })) };
}
