// The studio session: a short HS256 JWT (jose) naming the wallet that signed in, in an HttpOnly,
// SameSite=Lax cookie. Signed with a key derived from the receipt secret, never the secret itself,
// so a session can't pass for a receipt or the other way round. Stateless: signing out clears the
// cookie, and a stolen token dies with its expiry (SESSION_TTL_SECONDS).
import { createHmac } from "node:crypto";
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";

export const SESSION_COOKIE = "kiosk_studio";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = "kiosk";
const AUDIENCE = "kiosk:studio";

export type SessionSecrets = { current: Uint8Array; previous: Uint8Array | null };
export type Session = { wallet: `0x${string}`; issuedAt: Date; expiresAt: Date };

export type SessionCheck =
  | { kind: "valid"; session: Session }
  | { kind: "invalid"; reason: "missing" | "malformed" | "bad-signature" | "expired" };

const claimsSchema = z.object({
  sub: z.string().regex(/^0x[0-9a-f]{40}$/),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** HMAC(secret, label): a key for sessions only (domain separation from receipts). */
export function sessionKey(secret: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update("kiosk studio session v1").digest());
}

export async function issueSession(
  wallet: string,
  secrets: SessionSecrets,
  now = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(wallet.toLowerCase())
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .sign(sessionKey(secrets.current));
}

export async function verifySession(
  token: string | null | undefined,
  secrets: SessionSecrets,
  now = new Date(),
): Promise<SessionCheck> {
  if (!token) return { kind: "invalid", reason: "missing" };
  if (token.length > 1024 || token.split(".").length !== 3) return { kind: "invalid", reason: "malformed" };
  // The previous secret keeps sessions alive through a rotation, as it does for receipts.
  for (const secret of secrets.previous ? [secrets.current, secrets.previous] : [secrets.current]) {
    try {
      const { payload } = await jwtVerify(token, sessionKey(secret), {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now,
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return { kind: "invalid", reason: "malformed" };
      return {
        kind: "valid",
        session: {
          wallet: claims.data.sub as `0x${string}`,
          issuedAt: new Date(claims.data.iat * 1000),
          expiresAt: new Date(claims.data.exp * 1000),
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

export { readCookie } from "../cookies";

/**
 * HttpOnly (no script reads it), SameSite=Lax (a cross-site POST never carries it: the first half
 * of the CSRF defence; the Origin check is the second), Path=/ (pages under /studio and the API
 * under /api/studio and /api/auth all need it), Secure on https.
 */
export function sessionCookie(token: string, { secure }: { secure: boolean }): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${SESSION_TTL_SECONDS}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearedSessionCookie({ secure }: { secure: boolean }): string {
  return [
    `${SESSION_COOKIE}=`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    "Max-Age=0",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}
