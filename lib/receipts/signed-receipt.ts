// The downloadable receipt: what was bought, from whom, for how much and for how long, signed by
// the site (a compact JWS, EdDSA or ES256, with the signing key's kid) so anyone can check it
// offline against /.well-known/jwks.json. The file shows the fields in the clear beside the JWS;
// a verifier accepts it only when the clear fields are exactly what was signed, so editing any
// one of them (or the signature) fails. Pure: no env, no database, no network.
import { isDeepStrictEqual } from "node:util";
import {
  CompactSign,
  compactVerify,
  createLocalJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
} from "jose";
import { z } from "zod";
import type { ReceiptSigningKeys } from "./signing-keys";

/** The JWS `typ`: a receipt cannot be passed off as any other token the site signs, or the reverse. */
export const RECEIPT_JWS_TYPE = "kiosk-receipt+jws";

const iso = z.string().datetime({ offset: false });
const address = z.string().regex(/^0x[0-9a-f]{40}$/);

export const signedReceiptFieldsSchema = z
  .object({
    type: z.literal("kiosk-receipt"),
    version: z.literal(1),
    /** The site's origin, e.g. "https://kiosk.example". */
    site: z.string().url(),
    resource: z
      .object({
        /** Kiosk's resource key, e.g. "article:deep-sea". */
        key: z.string().min(1).max(300),
        /** The URL the purchase was made at (the API URL agents pay). */
        url: z.string().url(),
        title: z.string().max(500),
      })
      .strict(),
    price: z
      .object({
        /** Atomic units of the asset (USDC: 6 decimals). */
        amount: z.string().regex(/^[0-9]+$/),
        asset: address,
        symbol: z.literal("USDC"),
        decimals: z.literal(6),
      })
      .strict(),
    payer: address,
    payTo: address,
    /** CAIP-2, e.g. "eip155:8453". */
    network: z.string().regex(/^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$/),
    /** The settlement (gasless) or transfer transaction. */
    transaction: z.string().regex(/^0x[0-9a-f]{64}$/),
    method: z.enum(["authorization", "transfer"]),
    /** When the payment settled. */
    paidAt: iso,
    /** What the purchase grants: from, until (null = forever; equal to `from` for one request). */
    access: z.object({ from: iso, until: iso.nullable() }).strict(),
    issuedAt: iso,
  })
  .strict();

export type SignedReceiptFields = z.infer<typeof signedReceiptFieldsSchema>;

/** The file a purchaser downloads. */
export type SignedReceiptFile = { receipt: SignedReceiptFields; jws: string };

export async function signReceipt(
  fields: SignedReceiptFields,
  keys: ReceiptSigningKeys,
): Promise<SignedReceiptFile> {
  const receipt = signedReceiptFieldsSchema.parse(fields);
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(receipt)))
    .setProtectedHeader({ alg: keys.signing.alg, kid: keys.signing.kid, typ: RECEIPT_JWS_TYPE })
    .sign(keys.signing.key);
  return { receipt, jws };
}

export type ReceiptVerification =
  | { kind: "valid"; receipt: SignedReceiptFields; kid: string }
  | { kind: "invalid"; reason: string };

const fileSchema = z.object({ receipt: z.unknown(), jws: z.string().max(8192) }).strict();

/**
 * Checks a receipt file against a JWK Set: the signature by the key its kid names (EdDSA or
 * ES256 only), the type, the signed fields' shape, and that the clear fields equal the signed ones.
 */
export async function verifyReceiptFile(file: unknown, jwks: JSONWebKeySet): Promise<ReceiptVerification> {
  const parsed = fileSchema.safeParse(file);
  if (!parsed.success) return { kind: "invalid", reason: "not a receipt file: { receipt, jws } expected" };
  let verified;
  try {
    verified = await compactVerify(parsed.data.jws, createLocalJWKSet(jwks), {
      algorithms: ["EdDSA", "ES256"],
    });
  } catch (error) {
    if (error instanceof joseErrors.JWKSNoMatchingKey)
      return { kind: "invalid", reason: "no published key has this receipt's kid" };
    if (error instanceof joseErrors.JWSSignatureVerificationFailed)
      return { kind: "invalid", reason: "the signature does not match" };
    return {
      kind: "invalid",
      reason: `the JWS is not valid (${error instanceof Error ? error.message : error})`,
    };
  }
  if (verified.protectedHeader.typ !== RECEIPT_JWS_TYPE)
    return { kind: "invalid", reason: `the JWS is not a receipt (typ ${verified.protectedHeader.typ})` };
  let signed: unknown;
  try {
    signed = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    return { kind: "invalid", reason: "the signed payload is not JSON" };
  }
  const fields = signedReceiptFieldsSchema.safeParse(signed);
  if (!fields.success) return { kind: "invalid", reason: "the signed payload is not a receipt" };
  if (!isDeepStrictEqual(parsed.data.receipt, signed))
    return { kind: "invalid", reason: "the receipt's fields differ from what was signed" };
  return { kind: "valid", receipt: fields.data, kid: verified.protectedHeader.kid ?? "" };
}
