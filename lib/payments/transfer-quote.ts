// A transfer quote binds a plain USDC transfer to one offer. The 402 quotes the price plus a few
// atomic units (1–999) and signs {resource, amount, payTo, network, exp}; the reader transfers that
// exact amount and sends the quote back with the claim. A transfer meant for anything else (a
// tip, another shop sharing the payout address) matches no quote, and the quoted amount is
// honoured until the quote expires even if the publisher changes the price meanwhile.
import "server-only";
import { createHmac, randomInt } from "node:crypto";
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
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

/** HMAC(secret, label): a key for quotes only, so a quote can never pass for a receipt or a session. */
function quoteKey(secret: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update("kiosk transfer quote v1").digest());
}

export async function issueTransferQuote(
  offer: { resource: string; price: bigint; payTo: string; network: string },
  secrets: ReceiptSecrets,
  now = new Date(),
): Promise<{ token: string; amount: bigint; expiresAt: Date }> {
  const amount = offer.price + BigInt(randomInt(1, MAX_QUOTE_MARKUP + 1));
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + TRANSFER_QUOTE_TTL_SECONDS;
  const token = await new SignJWT({
    res: offer.resource,
    amt: amount.toString(),
    payTo: offer.payTo.toLowerCase(),
    net: offer.network,
  })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(quoteKey(secrets.current));
  return { token, amount, expiresAt: new Date(exp * 1000) };
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
