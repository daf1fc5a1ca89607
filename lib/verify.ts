// The proof of payment: a compact HS256 JWT (jose) scoped to one resource. Verifying it needs
// nothing but the secret and a clock, so proxy.ts and every route can afford to run it.
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";

/** Set by proxy.ts only (client copies are deleted first); routes still re-verify what it carries. */
export const RECEIPT_HEADER = "x-kiosk-receipt";
const ISSUER = "kiosk";

export const receiptClaimsSchema = z.object({
  /** Payer wallet, lowercase. */
  sub: z.string().regex(/^0x[0-9a-f]{40}$/),
  /** Resource key, e.g. "article:deep-sea". */
  res: z.string().min(1).max(300),
  /** Price paid, atomic units. */
  amt: z.string().regex(/^[0-9]+$/),
  /** CAIP-2 network. */
  net: z.string().min(3).max(64),
  /** Settlement or transfer transaction hash. */
  tx: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .optional(),
  iat: z.number().int(),
  /** Absent = the access never ends. */
  exp: z.number().int().optional(),
});

export type ReceiptClaims = z.infer<typeof receiptClaimsSchema>;

/**
 * The keys and the deployment a receipt belongs to. env() always sets `audience` and, with a
 * previous secret, `previousUntil`; hand-built keys in tests may leave them out (then receipts
 * carry no audience, and the previous secret has no end).
 */
export type ReceiptSecrets = {
  current: Uint8Array;
  previous: Uint8Array | null;
  /** The previous secret verifies receipts only before this instant. */
  previousUntil?: Date | null;
  /** This deployment (network and public origin): receipts name it and are refused elsewhere. */
  audience?: string;
  /** Receipts with no audience (issued before audiences), by the current secret, count until then. */
  legacyUntil?: Date;
};

/**
 * Receipts issued before they named an audience stay valid until this date when signed by the
 * current secret; after it their holders restore access (a fresh signature, no charge) and get a
 * receipt with an audience.
 */
export const LEGACY_RECEIPTS_UNTIL = new Date("2027-03-01T00:00:00Z");

/** The audience a deployment's receipts name: its network, and its public origin when it has one. */
export function receiptAudience(caip2: string, publicUrl: string | null): string {
  return publicUrl ? `${caip2} ${new URL(publicUrl).origin}` : caip2;
}

/** The secrets that verify tokens at `now`: the current one, and the previous one until its end date. */
export function verifyingSecrets(secrets: ReceiptSecrets, now: Date): Uint8Array[] {
  const previousOpen =
    secrets.previous !== null && (!secrets.previousUntil || now.getTime() < secrets.previousUntil.getTime());
  return previousOpen ? [secrets.current, secrets.previous!] : [secrets.current];
}

export type ReceiptCheck =
  | { kind: "valid"; claims: ReceiptClaims }
  | {
      kind: "invalid";
      reason:
        | "missing"
        | "malformed"
        | "bad-signature"
        | "expired"
        | "other-resource"
        | "other-audience"
        /** Signed and current, but the purchase was refunded (lib/payments/revocations.ts). */
        | "revoked";
    };

export async function issueReceipt(
  claims: Omit<ReceiptClaims, "iat" | "exp">,
  expiresAt: Date | null,
  secrets: ReceiptSecrets,
  now: Date = new Date(),
): Promise<string> {
  const jwt = new SignJWT({
    res: claims.res,
    amt: claims.amt,
    net: claims.net,
    ...(claims.tx ? { tx: claims.tx } : {}),
  })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setSubject(claims.sub)
    .setIssuedAt(Math.floor(now.getTime() / 1000));
  if (secrets.audience) jwt.setAudience(secrets.audience);
  if (expiresAt) jwt.setExpirationTime(Math.floor(expiresAt.getTime() / 1000));
  return jwt.sign(secrets.current);
}

// Tokens whose signature already checked out, per secret: a reader re-reading an article (and
// proxy.ts plus the route checking the same request) then costs a map lookup, not an HMAC.
// Only the signature result is cached, with the instant it stops counting (its expiry, the
// previous secret's end, the legacy cutoff); that and the resource are checked on every call.
type Verified = { claims: ReceiptClaims; until: number };
const verifiedTokens = new WeakMap<ReceiptSecrets, Map<string, Verified>>();
const MAX_CACHED_TOKENS = 10_000;

/** Checks signature (current, then previous secret), expiry and that the receipt names `resource`. */
export async function verifyReceipt(
  token: string | null | undefined,
  resource: string,
  secrets: ReceiptSecrets,
  now: Date = new Date(),
): Promise<ReceiptCheck> {
  if (!token) return { kind: "invalid", reason: "missing" };
  if (token.length > 2048 || token.split(".").length !== 3) return { kind: "invalid", reason: "malformed" };
  // Keyed by the secrets object (env() keeps one for the process), so a rotation starts afresh.
  const cache = verifiedTokens.get(secrets) ?? new Map<string, Verified>();
  verifiedTokens.set(secrets, cache);
  const cached = cache.get(token);
  if (cached && cached.until > now.getTime()) {
    if (cached.claims.res !== resource) return { kind: "invalid", reason: "other-resource" };
    return { kind: "valid", claims: cached.claims };
  }
  const result = await verifyUncached(token, resource, secrets, now);
  if (result.kind === "valid") {
    if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
    cache.set(token, { claims: result.claims, until: result.until });
    return { kind: "valid", claims: result.claims };
  }
  return result;
}

async function verifyUncached(
  token: string,
  resource: string,
  secrets: ReceiptSecrets,
  now: Date,
): Promise<
  Exclude<ReceiptCheck, { kind: "valid" }> | { kind: "valid"; claims: ReceiptClaims; until: number }
> {
  for (const secret of verifyingSecrets(secrets, now)) {
    try {
      const { payload } = await jwtVerify(token, secret, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        currentDate: now,
        clockTolerance: 0,
      });
      const claims = receiptClaimsSchema.safeParse(payload);
      if (!claims.success) return { kind: "invalid", reason: "malformed" };
      let until = claims.data.exp !== undefined ? claims.data.exp * 1000 : Infinity;
      if (secret !== secrets.current && secrets.previousUntil)
        until = Math.min(until, secrets.previousUntil.getTime());
      if (payload.aud === undefined) {
        // Issued before receipts named an audience: only by the current secret, only until the cutoff.
        if (secrets.audience) {
          const cutoff = (secrets.legacyUntil ?? LEGACY_RECEIPTS_UNTIL).getTime();
          if (secret !== secrets.current || now.getTime() >= cutoff)
            return { kind: "invalid", reason: "expired" };
          until = Math.min(until, cutoff);
        }
      } else if (payload.aud !== secrets.audience) {
        return { kind: "invalid", reason: "other-audience" };
      }
      if (claims.data.res !== resource) return { kind: "invalid", reason: "other-resource" };
      return { kind: "valid", claims: claims.data, until };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { kind: "invalid", reason: "expired" };
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      return { kind: "invalid", reason: "malformed" };
    }
  }
  return { kind: "invalid", reason: "bad-signature" };
}

/**
 * Picks the receipt a request carries: the token proxy.ts verified and forwarded (trusted for
 * nothing: it is verified again), else `Authorization: Bearer`, else the path-scoped cookie.
 * proxy.ts passes `forwarded: false`, since any copy it sees came from the client.
 */
export function receiptTokenFrom(
  headers: Headers,
  cookie: string | null | undefined,
  { forwarded = true }: { forwarded?: boolean } = {},
): string | null {
  if (forwarded) {
    const fromProxy = headers.get(RECEIPT_HEADER);
    if (fromProxy) return fromProxy;
  }
  const auth = headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim() || null;
  return cookie ?? null;
}

/** Path of the page and API route a receipt cookie is scoped to, so each request carries one token. */
export function receiptCookiePaths(resource: { apiPath: string; pagePath: string | null }): string[] {
  return resource.pagePath ? [resource.apiPath, resource.pagePath] : [resource.apiPath];
}
