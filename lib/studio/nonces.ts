// Storage of the studio's Sign-In with Ethereum nonces: one row per nonce handed out, spent once.
// The rules (what a message must say, when a nonce is checked and when it is spent) are siwe.ts's.
import "server-only";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { signinNonces } from "../db/schema";

export type StoredNonce = { usedAt: Date | null; expiresAt: Date };

/** Stores a fresh nonce; clears nonces that expired an hour ago or more on the way (no cron needed). */
export async function storeNonce(db: Db, nonce: string, now: Date, expiresAt: Date): Promise<void> {
  await db.insert(signinNonces).values({ nonce, createdAt: now, expiresAt });
  await db.delete(signinNonces).where(lt(signinNonces.expiresAt, new Date(now.getTime() - 60 * 60_000)));
}

export async function findNonce(db: Db, nonce: string): Promise<StoredNonce | null> {
  const [row] = await db
    .select({ usedAt: signinNonces.usedAt, expiresAt: signinNonces.expiresAt })
    .from(signinNonces)
    .where(eq(signinNonces.nonce, nonce))
    .limit(1);
  return row ?? null;
}

/**
 * Spends a live, unused nonce in one statement: of two requests racing with one message, exactly
 * one gets true.
 */
export async function spendNonce(db: Db, nonce: string, now: Date): Promise<boolean> {
  const [spent] = await db
    .update(signinNonces)
    .set({ usedAt: now })
    .where(and(eq(signinNonces.nonce, nonce), isNull(signinNonces.usedAt), gt(signinNonces.expiresAt, now)))
    .returning({ nonce: signinNonces.nonce });
  return spent !== undefined;
}
