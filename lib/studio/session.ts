// The studio session: a short HS256 JWT (jose) naming the wallet that signed in and the id of its
// row in studio_sessions (lib/studio/sessions.ts checks the row, so signing out revokes it), in an
// HttpOnly, SameSite=Lax cookie (lib/http/cookies.ts). Signed with a key derived from SESSION_SECRET, its own secret: a
// session can't pass for a receipt or the other way round, and rotating one leaves the other alone.
import "server-only";
import { createHmac } from "node:crypto";
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";

import { SESSION_TTL_SECONDS } from "../http/cookies";

export { SESSION_TTL_SECONDS };
const ISSUER = "kiosk";
const AUDIENCE = "kiosk:studio";

export type Session = { id: string; wallet: `0x${string}`; issuedAt: Date; expiresAt: Date };

export type SessionCheck =
  | { kind: "valid"; session: Session }
  | { kind: "invalid"; reason: "missing" | "malformed" | "bad-signature" | "expired" | "revoked" };

const claimsSchema = z.object({
  sub: z.string().regex(/^0x[0-9a-f]{40}$/),
  jti: z.string().regex(/^[\w-]{16,64}$/),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** HMAC(secret, label): a key for sessions only (domain separation, even if the secrets were equal). */
export function sessionKey(secret: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update("kiosk studio session v1").digest());
}

export async function issueSession(
  wallet: string,
  id: string,
  secret: Uint8Array,
  now = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(wallet.toLowerCase())
    .setJti(id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .sign(sessionKey(secret));
}

/** The token's own checks (signature, issuer, audience, expiry); whether it was revoked is the store's. */
export async function verifySession(
  token: string | null | undefined,
  secret: Uint8Array,
  now = new Date(),
): Promise<SessionCheck> {
  if (!token) return { kind: "invalid", reason: "missing" };
  if (token.length > 1024 || token.split(".").length !== 3) return { kind: "invalid", reason: "malformed" };
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
        id: claims.data.jti,
        wallet: claims.data.sub as `0x${string}`,
        issuedAt: new Date(claims.data.iat * 1000),
        expiresAt: new Date(claims.data.exp * 1000),
      },
    };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { kind: "invalid", reason: "expired" };
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return { kind: "invalid", reason: "bad-signature" };
    }
    return { kind: "invalid", reason: "malformed" };
  }
}
