// Studio sessions on the server: a row per sign-in, whose id the token carries. A token counts
// only while its row exists, is not revoked and has not expired, so signing out ends a session
// everywhere its token was copied to, not just in the browser that clicked.
import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { studioSessions } from "../db/schema";
import { issueSession, SESSION_TTL_SECONDS, verifySession, type SessionCheck } from "./session";

/** Records a new session for `wallet` and returns its token. Clears long-dead rows on the way. */
export async function startSession(
  db: Db,
  wallet: string,
  secret: Uint8Array,
  now = new Date(),
): Promise<string> {
  const id = randomBytes(16).toString("base64url");
  await db.insert(studioSessions).values({
    id,
    wallet: wallet.toLowerCase(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
  });
  await db.delete(studioSessions).where(lt(studioSessions.expiresAt, new Date(now.getTime() - 60 * 60_000)));
  return issueSession(wallet, id, secret, now);
}

/** The token's own checks, then its row: a revoked or unknown session is "revoked". */
export async function checkSession(
  db: Db,
  token: string | null | undefined,
  secret: Uint8Array,
  now = new Date(),
): Promise<SessionCheck> {
  const check = await verifySession(token, secret, now);
  if (check.kind !== "valid") return check;
  const [row] = await db
    .select({ wallet: studioSessions.wallet, revokedAt: studioSessions.revokedAt })
    .from(studioSessions)
    .where(eq(studioSessions.id, check.session.id))
    .limit(1);
  if (!row || row.revokedAt !== null || row.wallet !== check.session.wallet) {
    return { kind: "invalid", reason: "revoked" };
  }
  return check;
}

/** Revokes the token's session, if it is a live one of ours (signing out twice is fine). */
export async function endSession(
  db: Db,
  token: string | null | undefined,
  secret: Uint8Array,
  now = new Date(),
): Promise<void> {
  const check = await verifySession(token, secret, now);
  if (check.kind !== "valid") return;
  await db
    .update(studioSessions)
    .set({ revokedAt: now })
    .where(and(eq(studioSessions.id, check.session.id), isNull(studioSessions.revokedAt)));
}
