// Payment and entitlement storage: every read and write of `payments` and `entitlements` that the
// paid path, the transfer claim and the sweep make (the studio's sales figures only read them:
// lib/studio/sales.ts). What is unique, and why, is what makes every write here safe to repeat or race:
//
// payments
// - (network, asset, payer, nonce), payments_authorization_key: one EIP-3009 authorization is one
//   payment. A replayed or concurrently repeated PAYMENT-SIGNATURE finds the row its twin reserved
//   (reservePayment → "duplicate"), so one signature can never be settled or delivered twice.
// - (network, tx_hash), payments_tx_hash_key: one transaction pays for one thing. A transfer is
//   claimed by its hash, so this key is what stops one transfer from unlocking two resources or
//   two claims racing with it (recordTransferClaim: one insert wins). Hashes are stored lowercase,
//   in one spelling, or the key could be dodged by changing the case.
// - lock_key ("<payer>|<resource>") while status is reserved or settling, payments_in_flight_key (a
//   partial index): one lasting purchase per payer and resource in flight at a time, so two
//   different authorizations for one article from one wallet never both settle.
// entitlements
// - payment_id, entitlements_payment_key: a settled payment grants at most one entitlement, so
//   recording a settlement twice (a sweep racing the request that sent it) grants nothing more.
import "server-only";
import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { entitlements, payments } from "../db/schema";

export type PaymentRow = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;

export type ReserveResult =
  | { kind: "reserved"; id: number }
  /** This exact authorization (payer + nonce) was seen before. */
  | { kind: "duplicate"; existing: PaymentRow }
  /** Another payment by this payer for this resource is being settled right now. */
  | { kind: "busy"; existing: PaymentRow | null };

export async function reservePayment(
  db: Db,
  row: Omit<NewPayment, "status">,
  now: Date = new Date(),
): Promise<ReserveResult> {
  const inserted = await db
    .insert(payments)
    .values({ ...row, status: "reserved" })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  if (inserted[0]) return { kind: "reserved", id: inserted[0].id };

  const [existing] = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.network, row.network),
        eq(payments.asset, row.asset),
        eq(payments.payer, row.payer),
        eq(payments.nonce, row.nonce ?? ""),
      ),
    )
    .limit(1);
  if (existing) {
    if (existing.status !== "failed") return { kind: "duplicate", existing };
    // A failed attempt never reached the chain (or reverted), so the same authorization may try again.
    try {
      const retried = await db
        .update(payments)
        .set({
          status: "reserved",
          lockKey: row.lockKey,
          payload: row.payload,
          clientPaymentId: row.clientPaymentId ?? null,
          errorReason: null,
          updatedAt: now,
        })
        .where(and(eq(payments.id, existing.id), eq(payments.status, "failed")))
        .returning({ id: payments.id });
      if (retried[0]) return { kind: "reserved", id: retried[0].id };
    } catch {
      // the in-flight lock is taken by another payment for this resource
    }
    const [again] = await db.select().from(payments).where(eq(payments.id, existing.id));
    return again && again.status !== "failed"
      ? { kind: "duplicate", existing: again }
      : { kind: "busy", existing: row.lockKey ? await inFlightFor(db, row.lockKey) : null };
  }
  return { kind: "busy", existing: row.lockKey ? await inFlightFor(db, row.lockKey) : null };
}

async function inFlightFor(db: Db, lockKey: string): Promise<PaymentRow | null> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.lockKey, lockKey), sql`${payments.status} in ('reserved', 'settling')`))
    .limit(1);
  return row ?? null;
}

export async function getPayment(db: Db, id: number): Promise<PaymentRow | null> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row ?? null;
}

export async function markSettling(db: Db, id: number, now: Date = new Date()): Promise<void> {
  await db.update(payments).set({ status: "settling", updatedAt: now }).where(eq(payments.id, id));
}

export async function markFailed(
  db: Db,
  id: number,
  reason: string,
  txHash?: string | null,
  now: Date = new Date(),
): Promise<void> {
  await db
    .update(payments)
    .set({
      status: "failed",
      errorReason: reason.slice(0, 500),
      lockKey: null,
      txHash: txHash?.toLowerCase() || null, // one spelling, or payments_tx_hash_key can be dodged
      updatedAt: now,
    })
    .where(and(eq(payments.id, id), sql`${payments.status} <> 'settled'`));
}

export type Entitlement = typeof entitlements.$inferSelect & { txHash: string | null; network: string };

/**
 * Marks a payment settled and grants its entitlement in one transaction. Safe to call twice
 * (a reconciliation racing the original request): the second call changes nothing.
 */
export async function recordSettlement(
  db: Db,
  s: {
    paymentId: number;
    txHash: string | null;
    expiresAt: Date | null;
    grantsAccess: boolean;
    /** Set when this same request answers the content right after recording. */
    deliveredAt?: Date;
    now?: Date;
  },
): Promise<void> {
  const now = s.now ?? new Date();
  // One statement either way (no transaction to open and commit): the update, and for a lasting
  // purchase the entitlement inserted from the row it returns.
  const settle = db
    .update(payments)
    .set({
      status: "settled",
      txHash: s.txHash?.toLowerCase() ?? null, // one spelling, or payments_tx_hash_key can be dodged
      lockKey: null,
      errorReason: null,
      settledAt: now,
      updatedAt: now,
      ...(s.deliveredAt ? { deliveredAt: s.deliveredAt } : {}),
    })
    .where(eq(payments.id, s.paymentId));
  if (!s.grantsAccess) {
    await settle;
    return;
  }
  const e = entitlements;
  const col = (c: { name: string }) => sql.identifier(c.name);
  await db.execute(sql`
    with settled as (${settle.returning({ id: payments.id, payer: payments.payer, resource: payments.resource, amountAtomic: payments.amountAtomic }).getSQL()})
    insert into ${e} (${col(e.payer)}, ${col(e.resource)}, ${col(e.paymentId)}, ${col(e.amountAtomic)}, ${col(e.expiresAt)})
    select ${col(payments.payer)}, ${col(payments.resource)}, ${col(payments.id)}, ${col(payments.amountAtomic)},
      ${s.expiresAt?.toISOString() ?? null}::timestamptz
    from settled
    on conflict do nothing
  `);
}

export async function findActiveEntitlement(
  db: Db,
  payer: string,
  resource: string,
  now: Date = new Date(),
): Promise<Entitlement | null> {
  const [row] = await db
    .select({ e: entitlements, txHash: payments.txHash, network: payments.network })
    .from(entitlements)
    .innerJoin(payments, eq(payments.id, entitlements.paymentId))
    .where(
      and(
        eq(entitlements.payer, payer),
        eq(entitlements.resource, resource),
        isNull(entitlements.revokedAt), // refunded: it opens nothing, and the payer may buy again
        or(isNull(entitlements.expiresAt), gt(entitlements.expiresAt, now)),
      ),
    )
    .orderBy(desc(entitlements.expiresAt))
    .limit(1);
  return row ? { ...row.e, txHash: row.txHash, network: row.network } : null;
}

export async function entitlementForPayment(
  db: Db,
  paymentId: number,
): Promise<typeof entitlements.$inferSelect | null> {
  const [row] = await db.select().from(entitlements).where(eq(entitlements.paymentId, paymentId));
  return row ?? null;
}

/**
 * Claims the one delivery of a settled payment that was never answered (its 200 was lost):
 * true for exactly one caller, however many retries race.
 */
export async function claimDelivery(db: Db, id: number, now: Date): Promise<boolean> {
  const won = await db
    .update(payments)
    .set({ deliveredAt: now, updatedAt: now })
    .where(and(eq(payments.id, id), eq(payments.status, "settled"), isNull(payments.deliveredAt)))
    .returning({ id: payments.id });
  return won.length === 1;
}

export async function markDelivered(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(payments)
    .set({ deliveredAt: now })
    .where(and(eq(payments.id, id), isNull(payments.deliveredAt)));
}

/** A reservation spent as a proof of the wallet: terminal, so the authorization proves nothing again. */
export async function markProof(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(payments)
    .set({ status: "proof", lockKey: null, errorReason: "used as a proof of the wallet", updatedAt: now })
    .where(and(eq(payments.id, id), eq(payments.status, "reserved")));
}

/** Releases a reservation that never reached "settling" (it was never sent): safe at any age. */
export async function releaseReservation(db: Db, id: number, reason: string, now: Date): Promise<boolean> {
  const released = await db
    .update(payments)
    .set({ status: "failed", errorReason: reason, lockKey: null, updatedAt: now })
    .where(and(eq(payments.id, id), eq(payments.status, "reserved")))
    .returning({ id: payments.id });
  return released.length === 1;
}

/**
 * Claims up to `limit` unfinished settlements (last touched before `olderThan`) for one sweeper
 * for `leaseMs`. The short transaction locks candidate rows with SKIP LOCKED and stamps a lease,
 * so concurrent sweeps never pick the same row, and no lock is held while the chain is read.
 */
export async function leaseUnfinishedSettlements(
  db: Db,
  opts: { olderThan: Date; now: Date; leaseMs: number; limit: number },
): Promise<PaymentRow[]> {
  const candidates = db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.status, "settling"),
        lt(payments.updatedAt, opts.olderThan),
        or(isNull(payments.reconcileLeaseUntil), lt(payments.reconcileLeaseUntil, opts.now)),
      ),
    )
    .orderBy(payments.id)
    .limit(opts.limit)
    .for("update", { skipLocked: true });
  return db
    .update(payments)
    .set({ reconcileLeaseUntil: new Date(opts.now.getTime() + opts.leaseMs) })
    .where(inArray(payments.id, candidates))
    .returning();
}

/** The payment a transaction hash settled on this network, whoever recorded it. */
export async function getPaymentByTx(db: Db, network: string, txHash: string): Promise<PaymentRow | null> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.network, network), eq(payments.txHash, txHash.toLowerCase())));
  return row ?? null;
}

/**
 * Inserts a transfer claim as settled with its entitlement, in one transaction: a crash or a
 * failed write leaves nothing behind, so the same hash can be claimed again. Null when the hash
 * was already recorded (payments_tx_hash_key: of racing claims, one insert wins).
 */
export async function recordTransferClaim(
  db: Db,
  row: Omit<NewPayment, "status" | "settledAt">,
  terms: { grantsAccess: boolean; expiresAt: Date | null },
  now: Date = new Date(),
): Promise<{ id: number } | null> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(payments)
      .values({ ...row, status: "settled", settledAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: payments.id, payer: payments.payer, amountAtomic: payments.amountAtomic });
    const claimed = inserted[0];
    if (claimed && terms.grantsAccess) {
      await tx.insert(entitlements).values({
        payer: claimed.payer,
        resource: row.resource,
        paymentId: claimed.id,
        amountAtomic: claimed.amountAtomic,
        expiresAt: terms.expiresAt,
      });
    }
    return claimed ? { id: claimed.id } : null;
  });
}

/**
 * Releases reservations last touched before `olderThan` that never reached "settling": they were
 * never sent to the chain. Returns how many.
 */
export async function releaseAbandonedReservations(db: Db, olderThan: Date, now: Date): Promise<number> {
  const released = await db
    .update(payments)
    .set({ status: "failed", errorReason: "abandoned before settlement", lockKey: null, updatedAt: now })
    .where(and(eq(payments.status, "reserved"), lt(payments.updatedAt, olderThan)))
    .returning({ id: payments.id });
  return released.length;
}
