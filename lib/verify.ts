// The proof of payment: a compact HS256 JWT (jose) scoped to one resource. Verifying it needs
// nothing but the secret and a clock, so proxy.ts and every route can afford to run it.
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import { readCookie } from "./cookies";

export const RECEIPT_COOKIE = "kiosk_receipt";
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

export type ReceiptSecrets = { current: Uint8Array; previous: Uint8Array | null };

export type ReceiptCheck =
  | { kind: "valid"; claims: ReceiptClaims }
  | { kind: "invalid"; reason: "missing" | "malformed" | "bad-signature" | "expired" | "other-resource" };

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
  if (expiresAt) jwt.setExpirationTime(Math.floor(expiresAt.getTime() / 1000));
  return jwt.sign(secrets.current);
}

// Tokens whose signature already checked out, per secret: a reader re-reading an article (and
// proxy.ts plus the route checking the same request) then costs a map lookup, not an HMAC.
// Only the signature result is cached; expiry and resource are checked on every call.
const verifiedTokens = new WeakMap<ReceiptSecrets, Map<string, ReceiptClaims>>();
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
  const cache = verifiedTokens.get(secrets) ?? new Map<string, ReceiptClaims>();
  verifiedTokens.set(secrets, cache);
  const cached = cache.get(token);
  if (cached) {
    if (cached.exp !== undefined && cached.exp * 1000 <= now.getTime())
      return { kind: "invalid", reason: "expired" };
    if (cached.res !== resource) return { kind: "invalid", reason: "other-resource" };
    return { kind: "valid", claims: cached };
  }
  const result = await verifyUncached(token, resource, secrets, now);
  if (result.kind === "valid") {
    if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
    cache.set(token, result.claims);
  }
  return result;
}

async function verifyUncached(
  token: string,
  resource: string,
  secrets: ReceiptSecrets,
  now: Date,
): Promise<ReceiptCheck> {
  for (const secret of secrets.previous ? [secrets.current, secrets.previous] : [secrets.current]) {
    try {
      const { payload } = await jwtVerify(token, secret, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        currentDate: now,
        clockTolerance: 0,
      });
      const claims = receiptClaimsSchema.safeParse(payload);
      if (!claims.success) return { kind: "invalid", reason: "malformed" };
      if (claims.data.res !== resource) return { kind: "invalid", reason: "other-resource" };
      return { kind: "valid", claims: claims.data };
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

/**
 * Whether a request carries a valid receipt for `resource` (forwarded by proxy.ts, Bearer, or the
 * cookie in its Cookie header). Unpublished items stay readable for exactly these requests.
 */
export async function holdsReceipt(
  headers: Headers,
  resource: string,
  secrets: ReceiptSecrets,
  now: Date = new Date(),
): Promise<boolean> {
  const token = receiptTokenFrom(headers, readCookie(headers.get("cookie"), RECEIPT_COOKIE));
  return (await verifyReceipt(token, resource, secrets, now)).kind === "valid";
}

/** Path of the page and API route a receipt cookie is scoped to, so each request carries one token. */
export function receiptCookiePaths(resource: { apiPath: string; pagePath: string | null }): string[] {
  return resource.pagePath ? [resource.apiPath, resource.pagePath] : [resource.apiPath];
}

/** Which resource a request path names ("/articles/x" and "/api/articles/x" → "article:x"). */
export function resourceKeyForPath(pathname: string): string | null {
  const article = /^\/(?:api\/)?articles\/([^/]+)\/?$/.exec(pathname);
  if (article) return `article:${safeDecode(article[1]!)}`;
  const data = /^\/api\/data\/(.+)$/.exec(pathname);
  if (data) return `data:${data[1]!.split("/").map(safeDecode).join("/")}`;
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
