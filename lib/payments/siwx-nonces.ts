// Storage of used sign-in-with-x nonces: a nonce unlocks once. Nothing is written for a 402's
// challenge (it is an HMAC, lib/x402/siwx.ts), only when a signed answer is spent.
import "server-only";
import { lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { siwxNonces } from "../db/schema";

/**
 * Spends a nonce for `wallet` on `resource`: true for exactly one caller, however many race;
 * false when it was already spent. Nonces past their challenge's end are dropped in passing.
 */
export async function spendSiwxNonce(
  db: Db,
  n: { nonce: string; wallet: string; resource: string; expiresAt: Date; now: Date },
): Promise<boolean> {
  const inserted = await db
    .insert(siwxNonces)
    .values({ nonce: n.nonce, wallet: n.wallet, resource: n.resource, usedAt: n.now, expiresAt: n.expiresAt })
    .onConflictDoNothing()
    .returning({ nonce: siwxNonces.nonce });
  await db.delete(siwxNonces).where(lt(siwxNonces.expiresAt, n.now));
  return inserted.length === 1;
}
