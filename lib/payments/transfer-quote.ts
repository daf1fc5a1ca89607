// A transfer quote binds a plain USDC transfer to one offer. The 402 quotes the price plus a few
// atomic units (1–999) and signs {resource, amount, payTo, network, exp}; the reader transfers that
// exact amount and sends the quote back with the claim. A transfer meant for anything else (a
// tip, another shop sharing the payout address) matches no quote, and the quoted amount is
// honoured until the quote expires even if the publisher changes the price meanwhile.
import "server-only";
import { createHmac, randomInt } from "node:crypto";
import { errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import { verifyingSecrets, type ReceiptSecrets } from "../verify";

/** How long a quote may be paid for; the transfer's block must fall inside it. */
export const TRANSFER_QUOTE_TTL_SECONDS = 3_600;
/** A quote paid in time may still be claimed this long after it expired (confirmations, a phone). */
export const TRANSFER_CLAIM_GRACE_SECONDS = 3_600;
/** Largest number of atomic units added to the price (at most $0.000999). */
export const MAX_QUOTE_MARKUP = 999;

const ISSUER = "kiosk";
const AUDIENCE = "kiosk:transfer-quote";

export type TransferQuote = {
  resource: string;
  amount: bigint;
  payTo: `0x${string}`;
  network: string;
  issuedAt: Date;
  expiresAt: Date;
};

export type QuoteCheck =
  | { kind: "valid"; quote: TransferQuote }
  | { kind: "invalid"; reason: "malformed" | "bad-signature" | "expired" | "other-resource" };

const claimsSchema = z.object({
  res: z.string(),
  amt: z.string().regex(/^\d{1,30}$/),
  payTo: z.string().regex(/^0x[0-9a-f]{40}$/),
  net: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
});

/**
 * HMAC(secret, label): a key for quotes only, so a quote can never pass for a receipt or a
 * session. Derived once per secret (env() keeps one secrets object for the process).
 */
const derivedKeys = new WeakMap<Uint8Array, Buffer>();
function quoteKey(secret: Uint8Array): Buffer {
  let key = derivedKeys.get(secret);
  if (!key) {
    key = createHmac("sha256", secret).update("kiosk transfer quote v1").digest();
    derivedKeys.set(secret, key);
  }
  return key;
}

/** The compact JWS header of every quote: `{"alg":"HS256"}`. */
const HEADER = Buffer.from(JSON.stringify({ alg: "HS256" })).toString("base64url");

/**
 * Every 402 carries a fresh quote, so issuing one sits on the unpaid path. It is signed here with
 * node:crypto's synchronous HMAC: jose signs through WebCrypto, whose every call is an async job
 * (a key import and a thread-pool hop), about 150 µs against 8 µs, the larger part of a 402.
 * The token is a plain HS256 JWT; verifyTransferQuote checks it with jose.
 */
export function issueTransferQuote(
  offer: { resource: string; price: bigint; payTo: string; network: string },
  secrets: ReceiptSecrets,
  now = new Date(),
): { token: string; amount: bigint; expiresAt: Date } {
  const amount = offer.price + BigInt(randomInt(1, MAX_QUOTE_MARKUP + 1));
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + TRANSFER_QUOTE_TTL_SECONDS;
  const claims = {
    res: offer.resource,
    amt: amount.toString(),
    payTo: offer.payTo.toLowerCase(),
    net: offer.network,
    iss: ISSUER,
    aud: AUDIENCE,
    iat,
    exp,
  };
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const signature = createHmac("sha256", quoteKey(secrets.current)).update(signingInput).digest("base64url");
  return { token: `${signingInput}.${signature}`, amount, expiresAt: new Date(exp * 1000) };
}

export async function verifyTransferQuote(
  token: string,
  expected: { resource: string; network: string },
  secrets: ReceiptSecrets,
  now = new Date(),
): Promise<QuoteCheck> {
  if (token.length > 2048 || token.split(".").length !== 3) return { kind: "invalid", reason: "malformed" };
  // A claim may come a while after the quote expired, as long as the transfer itself was in time.
  const currentDate = new Date(now.getTime() - TRANSFER_CLAIM_GRACE_SECONDS * 1000);
  for (const secret of verifyingSecrets(secrets, now)) {
    try {
      const { payload } = await jwtVerify(token, quoteKey(secret), {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate,
      });
      const c = claimsSchema.safeParse(payload);
      if (!c.success) return { kind: "invalid", reason: "malformed" };
      if (c.data.res !== expected.resource || c.data.net !== expected.network)
        return { kind: "invalid", reason: "other-resource" };
      return {
        kind: "valid",
        quote: {
          resource: c.data.res,
          amount: BigInt(c.data.amt),
          payTo: c.data.payTo as `0x${string}`,
          network: c.data.net,
          issuedAt: new Date(c.data.iat * 1000),
          expiresAt: new Date(c.data.exp * 1000),
        },
      };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { kind: "invalid", reason: "expired" };
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      return { kind: "invalid", reason: "malformed" };
    }
  }
  return { kind: "invalid", reason: "bad-signature" };
}
