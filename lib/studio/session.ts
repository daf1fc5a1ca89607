// Sessions: a short HS256 JWT (jose) naming the wallet that signed in. The studio's carries the id
// of its row in studio_sessions (lib/studio/sessions.ts checks the row, so signing out revokes it);
// a reader's (who signed in to restore purchases) is the token alone. Each kind has its own key
// and audience, so a reader session never opens the studio. Both ride in HttpOnly, SameSite=Lax
// cookies (lib/http/cookies.ts). Signed with a key derived from SESSION_SECRET, its own secret: a
// session can't pass for a receipt or the other way round, and rotating one leaves the other alone.
import "server-only";
import { createHmac } from "node:crypto";
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";

import { READER_SESSION_TTL_SECONDS, SESSION_TTL_SECONDS } from "../http/cookies";

export { SESSION_TTL_SECONDS };
const ISSUER = "kiosk";

export type SessionKind = "studio" | "reader";
const KINDS = {
  studio: { audience: "kiosk:studio", label: "kiosk studio session v1", ttl: SESSION_TTL_SECONDS },
  reader: { audience: "kiosk:reader", label: "kiosk reader session v1", ttl: READER_SESSION_TTL_SECONDS },
} as const satisfies Record<SessionKind, { audience: string; label: string; ttl: number }>;

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

/** HMAC(secret, label): a key for one kind of session only (domain separation, even if the secrets were equal). */
export function sessionKey(secret: Uint8Array, kind: SessionKind = "studio"): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update(KINDS[kind].label).digest());
}

export async function issueSession(
  wallet: string,
  id: string,
  secret: Uint8Array,
  now = new Date(),
  kind: SessionKind = "studio",
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(KINDS[kind].audience)
    .setSubject(wallet.toLowerCase())
    .setJti(id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + KINDS[kind].ttl)
    .sign(sessionKey(secret, kind));
}

/** The token's own checks (signature, issuer, audience, expiry); whether it was revoked is the store's. */
export async function verifySession(
  token: string | null | undefined,
  secret: Uint8Array,
  now = new Date(),
  kind: SessionKind = "studio",
): Promise<SessionCheck> {
  if (!token) return { kind: "invalid", reason: "missing" };
  if (token.length > 1024 || token.split(".").length !== 3) return { kind: "invalid", reason: "malformed" };
  try {
    const { payload } = await jwtVerify(token, sessionKey(secret, kind), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: KINDS[kind].audience,
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
