// What a wallet holds: its settled purchases, read from `payments` and `entitlements` (written by
// store.ts) with each item's title from the catalogue. The reader's library, the sign-in that
// restores access and the signed receipts all read purchases through these two functions, so they
// agree on what "yours" means. A purchase's id is its payment's id: what a receipt is filed under.
import "server-only";
import { and, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { parseResourceKey, type ResourceRef } from "../content/resource-keys";
import type { Db } from "../db/client";
import { articles, dataEndpoints, entitlements, payments, refunds } from "../db/schema";

/** How long a purchase opens its item: for good, until a moment, or for the one request it paid. */
export type Access = { kind: "forever" } | { kind: "until"; endsAt: Date } | { kind: "once" };

export type Purchase = {
  /** The payment's id. */
  id: number;
  /** The resource key ("article:<slug>", "data:<path>"). */
  resource: string;
  /** What the key names; null for a key this build cannot read. */
  ref: ResourceRef | null;
  /** The article's title or the dataset's name; the resource key when the item is gone. */
  title: string;
  amountAtomic: bigint;
  network: string;
  asset: string;
  payer: string;
  payTo: string;
  paidAt: Date;
  /** "gasless": an EIP-3009 authorization Kiosk settled; "transfer": a transfer the reader sent and claimed. */
  method: "gasless" | "transfer";
  /** The settlement or transfer transaction (lowercase); null when it was never learned. */
  txHash: string | null;
  access: Access;
  /** When the publisher refunded it (the refund was confirmed on chain), or null; a refunded purchase opens nothing. */
  refundedAt: Date | null;
};

const columns = {
  id: payments.id,
  resource: payments.resource,
  amountAtomic: payments.amountAtomic,
  network: payments.network,
  asset: payments.asset,
  payer: payments.payer,
  payTo: payments.payTo,
  method: payments.method,
  txHash: payments.txHash,
  settledAt: payments.settledAt,
  createdAt: payments.createdAt,
  entitled: sql<boolean>`${entitlements.id} is not null`,
  expiresAt: entitlements.expiresAt,
  refundedAt: refunds.confirmedAt,
};

type Row = {
  id: number;
  resource: string;
  amountAtomic: bigint;
  network: string;
  asset: string;
  payer: string;
  payTo: string;
  method: "authorization" | "transfer";
  txHash: string | null;
  settledAt: Date | null;
  createdAt: Date;
  entitled: boolean;
  expiresAt: Date | null;
  refundedAt: Date | null;
};

/**
 * Every settled purchase of `wallet`, newest first: lasting ones (articles, datasets with a window)
 * whether or not their window has run out, and per-request data calls (access "once"). A transfer
 * owed back (sent for something the wallet already held) bought nothing and is not listed; a
 * refunded purchase is listed, with when it was refunded.
 */
export async function purchasesOf(db: Db, wallet: string): Promise<Purchase[]> {
  const rows = await db
    .select(columns)
    .from(payments)
    .leftJoin(entitlements, eq(entitlements.paymentId, payments.id))
    .leftJoin(refunds, and(eq(refunds.paymentId, payments.id), eq(refunds.status, "confirmed")))
    .where(
      and(
        eq(payments.payer, wallet.toLowerCase()),
        eq(payments.status, "settled"),
        eq(payments.refundDue, false),
      ),
    )
    .orderBy(desc(payments.settledAt), desc(payments.id));
  return withTitles(db, rows);
}

/**
 * The wallet's unexpired, unrefunded purchase of `resourceKey` (the one that lasts longest), or
 * null. A per-request call is never held: it was used by the request that paid for it.
 */
export async function holds(
  db: Db,
  wallet: string,
  resourceKey: string,
  now: Date,
): Promise<Purchase | null> {
  const rows = await db
    .select(columns)
    .from(entitlements)
    .innerJoin(payments, eq(payments.id, entitlements.paymentId))
    .leftJoin(refunds, and(eq(refunds.paymentId, payments.id), eq(refunds.status, "confirmed")))
    .where(
      and(
        eq(entitlements.payer, wallet.toLowerCase()),
        eq(entitlements.resource, resourceKey),
        eq(payments.status, "settled"),
        isNull(entitlements.revokedAt),
        or(isNull(entitlements.expiresAt), gt(entitlements.expiresAt, now)),
      ),
    )
    .orderBy(sql`${entitlements.expiresAt} desc nulls first`, desc(payments.id))
    .limit(1);
  const [held] = await withTitles(db, rows);
  return held ?? null;
}

async function withTitles(db: Db, rows: Row[]): Promise<Purchase[]> {
  const refs = rows.map((r) => parseResourceKey(r.resource));
  const slugs = [...new Set(refs.flatMap((r) => (r?.kind === "article" ? [r.slug] : [])))];
  const paths = [...new Set(refs.flatMap((r) => (r?.kind === "data" ? [r.path] : [])))];
  const [articleTitles, dataNames] = await Promise.all([
    slugs.length
      ? db
          .select({ key: articles.slug, title: articles.title })
          .from(articles)
          .where(inArray(articles.slug, slugs))
      : [],
    paths.length
      ? db
          .select({ key: dataEndpoints.path, title: dataEndpoints.name })
          .from(dataEndpoints)
          .where(inArray(dataEndpoints.path, paths))
      : [],
  ]);
  const titleOf = (ref: ResourceRef | null): string | undefined => {
    if (ref?.kind === "article") return articleTitles.find((a) => a.key === ref.slug)?.title;
    if (ref?.kind === "data") return dataNames.find((d) => d.key === ref.path)?.title;
    return undefined;
  };
  return rows.map((r, i) => {
    const ref = refs[i] ?? null;
    return {
      id: r.id,
      resource: r.resource,
      ref,
      title: titleOf(ref) ?? r.resource,
      amountAtomic: r.amountAtomic,
      network: r.network,
      asset: r.asset,
      payer: r.payer,
      payTo: r.payTo,
      paidAt: r.settledAt ?? r.createdAt,
      method: r.method === "authorization" ? "gasless" : "transfer",
      txHash: r.txHash,
      refundedAt: r.refundedAt,
      access: !r.entitled
        ? { kind: "once" }
        : r.expiresAt
          ? { kind: "until", endsAt: r.expiresAt }
          : { kind: "forever" },
    };
  });
}
