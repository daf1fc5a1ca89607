// Sign-In with Ethereum (EIP-4361), the one verifier for the studio's sign-in and the reader's (who
// signs in to restore purchases), on viem's helpers. Each purpose has its own statement, checked,
// so a message signed for one is refused by the other. The server hands out a
// nonce (stored, single use, a few minutes to live); the wallet signs a message naming this site's
// domain and URI, the configured chain and that nonce; the server checks every field and the
// nonce (no chain call for a message we never issued), then the signature, then spends the nonce. Anything off is a rejection with a reason (→ 401).
import "server-only";
import type { Client } from "viem";
import { createSiweMessage, generateSiweNonce, parseSiweMessage, type SiweMessage } from "viem/siwe";
import { z } from "zod";
import type { Db } from "../db/client";
import { findNonce, spendNonce, storeNonce } from "./nonces";
import { isSignedBy } from "./signature";

/** How long a nonce may wait for its signature; also the oldest "Issued At" accepted. */
export const NONCE_TTL_MS = 5 * 60_000;
/** Clocks disagree a little: an "Issued At" this far in the future still passes. */
const CLOCK_SKEW_MS = 60_000;

export type SignInPurpose = "studio" | "reader";

export const SIWE_STATEMENTS = {
  studio: "Sign in to Kiosk Studio to manage your articles, data and sales.",
  reader: "Sign in to Kiosk to restore what this wallet bought. No transaction, no charge.",
} as const satisfies Record<SignInPurpose, string>;

export const SIWE_STATEMENT = SIWE_STATEMENTS.studio;

/** The URI a purpose's message names (its origin is what is checked). */
export const SIWE_PATHS = { studio: "/studio", reader: "/library" } as const satisfies Record<
  SignInPurpose,
  string
>;

export type SignInExpectations = {
  /** RFC 3986 authority the message must name, e.g. "kiosk.example" or "127.0.0.1:3100". */
  domain: string;
  /** Origin the message's URI must belong to, e.g. "https://kiosk.example". */
  origin: string;
  chainId: number;
  /** What the sign-in is for: the message must carry its statement. */
  purpose: SignInPurpose;
  now?: Date;
  /**
   * Asked only when the signature does not recover to the address (a smart-contract wallet:
   * ERC-1271, or ERC-6492 before deployment). null = EOAs only.
   */
  chainClient?: Client | null;
};

export type SignInRejection =
  | "malformed"
  | "wrong-purpose"
  | "wrong-domain"
  | "wrong-uri"
  | "wrong-chain"
  | "expired"
  | "not-yet-valid"
  | "bad-signature"
  | "unknown-nonce"
  | "nonce-used"
  | "nonce-expired";

export type SignInResult =
  | { kind: "signed-in"; wallet: `0x${string}` }
  | { kind: "rejected"; reason: SignInRejection; message: string };

const MESSAGES = {
  malformed: "That is not a Sign-In with Ethereum message this site issued.",
  "wrong-purpose": "The message signs in to another part of this site.",
  "wrong-domain": "The message is for another site.",
  "wrong-uri": "The message names another site's address.",
  "wrong-chain": "The message is for another chain.",
  expired: "The sign-in message has expired; sign in again.",
  "not-yet-valid": "The sign-in message is not valid yet; check your device's clock.",
  "bad-signature": "The signature does not match the address in the message.",
  "unknown-nonce": "The sign-in message carries a nonce this site never issued; sign in again.",
  "nonce-used": "That sign-in message was already used; sign in again.",
  "nonce-expired": "The sign-in nonce has expired; sign in again.",
} as const satisfies Record<SignInRejection, string>;

const reject = (reason: SignInRejection): SignInResult => ({
  kind: "rejected",
  reason,
  message: MESSAGES[reason],
});

/** Stores a fresh nonce; clears nonces that expired long ago on the way (no cron needed). */
export async function issueNonce(db: Db, now = new Date()): Promise<{ nonce: string; expiresAt: Date }> {
  const nonce = generateSiweNonce();
  const expiresAt = new Date(now.getTime() + NONCE_TTL_MS);
  await storeNonce(db, nonce, now, expiresAt);
  return { nonce, expiresAt };
}

/** The message a client should ask the wallet to sign (the studio's client builds the same). */
export function signInMessage(fields: {
  address: `0x${string}`;
  domain: string;
  origin: string;
  chainId: number;
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
  purpose?: SignInPurpose;
}): string {
  const purpose = fields.purpose ?? "studio";
  return createSiweMessage({
    address: fields.address,
    domain: fields.domain,
    uri: `${fields.origin}${SIWE_PATHS[purpose]}`,
    chainId: fields.chainId,
    nonce: fields.nonce,
    issuedAt: fields.issuedAt,
    expirationTime: fields.expirationTime,
    statement: SIWE_STATEMENTS[purpose],
    version: "1",
  });
}

/** POST /api/auth/verify's body: the signed message and its signature, bounded before any parsing. */
export const signInBodySchema = z.object({
  message: z.string({ required_error: "message is required." }).max(4_000, "message is too long."),
  signature: z.string({ required_error: "signature is required." }).max(20_000, "signature is too long."),
});

export async function verifySignIn(
  db: Db,
  input: { message: string; signature: string },
  expect: SignInExpectations,
): Promise<SignInResult> {
  const now = expect.now ?? new Date();
  const fields = parseCanonical(input.message);
  if (!fields) return reject("malformed");
  if (fields.domain !== expect.domain) return reject("wrong-domain");
  // The studio also takes a message with no statement (its scripted clients sign none); a reader's
  // must say what it is for, so no other message of this site restores purchases.
  const statementOk =
    fields.statement === SIWE_STATEMENTS[expect.purpose] ||
    (expect.purpose === "studio" && fields.statement === undefined);
  if (!statementOk) return reject("wrong-purpose");
  if (originOf(fields.uri) !== expect.origin) return reject("wrong-uri");
  if (fields.scheme !== undefined && `${fields.scheme}:` !== new URL(expect.origin).protocol)
    return reject("wrong-uri");
  if (fields.chainId !== expect.chainId) return reject("wrong-chain");
  if (fields.expirationTime && fields.expirationTime.getTime() <= now.getTime()) return reject("expired");
  // A message older than any nonce could live is stale even if it set no expiration of its own.
  if (fields.issuedAt.getTime() < now.getTime() - NONCE_TTL_MS - CLOCK_SKEW_MS) return reject("expired");
  if (fields.issuedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return reject("not-yet-valid");
  if (fields.notBefore && fields.notBefore.getTime() > now.getTime() + CLOCK_SKEW_MS)
    return reject("not-yet-valid");

  // The nonce before the signature: a contract wallet's signature costs a chain call, and only a
  // message carrying a live nonce of ours is worth one.
  const issued = await findNonce(db, fields.nonce);
  if (!issued) return reject("unknown-nonce");
  if (issued.usedAt) return reject("nonce-used");
  if (issued.expiresAt.getTime() <= now.getTime()) return reject("nonce-expired");

  // Every field of the message was checked above, so what is left is whose signature it is.
  const signed = await isSignedBy({
    address: fields.address,
    message: input.message,
    signature: input.signature,
    chainClient: expect.chainClient ?? null,
  });
  if (!signed) return reject("bad-signature");

  // Spend the nonce last and atomically: of two requests racing with one message, one wins.
  if (!(await spendNonce(db, fields.nonce, now))) {
    const row = await findNonce(db, fields.nonce);
    if (!row) return reject("unknown-nonce");
    return reject(row.usedAt ? "nonce-used" : "nonce-expired");
  }
  return { kind: "signed-in", wallet: fields.address.toLowerCase() as `0x${string}` };
}

type CanonicalMessage = SiweMessage & { issuedAt: Date };

/**
 * Parses the message and insists it is exactly what viem would write for those fields, so the
 * fields checked here are the very text the wallet showed and signed (no second "URI:" line, no
 * trailing extras, a checksummed address).
 */
function parseCanonical(message: string): CanonicalMessage | null {
  if (typeof message !== "string" || message.length > 4_000) return null;
  const parsed = parseSiweMessage(message);
  const { address, domain, uri, nonce, chainId, version, issuedAt } = parsed;
  if (!address || !domain || !uri || !nonce || chainId === undefined || version !== "1" || !issuedAt)
    return null;
  for (const date of [issuedAt, parsed.expirationTime, parsed.notBefore]) {
    if (date && Number.isNaN(date.getTime())) return null;
  }
  const fields = {
    ...parsed,
    address,
    domain,
    uri,
    nonce,
    chainId,
    version,
    issuedAt,
  } satisfies CanonicalMessage;
  try {
    if (createSiweMessage(fields) !== message) return null;
  } catch {
    return null;
  }
  return fields;
}

function originOf(uri: string): string | null {
  try {
    return new URL(uri).origin;
  } catch {
    return null;
  }
}
