// Sales figures for the studio, aggregated in SQL over `payments` (written by lib/payments) and
// `resource_stats` (the funnel counters). Read-only. Every function takes resource keys
// ("article:<slug>", "data:<path>"): one key for an article's page, all of a publisher's for the
// dashboard. The caller has already checked that the keys are the publisher's.
//
// Definitions (also shown in the UI):
//   sale            a payment row that settled
//   revenue         the sum of settled amounts
//   unique payers   distinct payer wallets among settled payments
//   browser/agent   how the settled payment came in (lib/payments: Sec-Fetch-* headers or not)
//   funnel          402s shown → payments attempted (every row, whatever became of it) → settled →
//                   re-reads with a receipt
//   refund          a sale the publisher paid back, confirmed on chain (lib/studio/refunds.ts); it
//                   stays a sale, and its amount is counted as refunded (net = revenue − refunded)
import "server-only";
import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { payments, refunds, resourceStats } from "../db/schema";

export type SalesSummary = {
  sales: number;
  revenueAtomic: bigint;
  uniquePayers: number;
  refunds: number;
  refundedAtomic: bigint;
  channels: { browser: number; agent: number };
  funnel: { shown402: number; attempted: number; settled: number; receiptReads: number };
};

export type ResourceSales = {
  resource: string;
  sales: number;
  revenueAtomic: bigint;
  uniquePayers: number;
  refunds: number;
  refundedAtomic: bigint;
};
/** Per day of sale: what sold, and how much of it was refunded since. */
export type DayRevenue = {
  day: string;
  sales: number;
  revenueAtomic: bigint;
  refunds: number;
  refundedAtomic: bigint;
};
export type SaleRefund = { status: "pending" | "refunded"; txHash: string; at: Date | null };
export type SaleRow = {
  id: number;
  resource: string;
  payer: string;
  amountAtomic: bigint;
  txHash: string | null;
  channel: "browser" | "agent";
  method: "authorization" | "transfer";
  network: string;
  /** Received for something the payer already held: to be refunded. */
  refundDue: boolean;
  settledAt: Date;
  /** The sale's refund, confirmed or waiting for the chain; null when none was asked for. */
  refund: SaleRefund | null;
};

const settled = sql`${payments.status} = 'settled'`;
const refunded = sql`${refunds.status} = 'confirmed'`;
const refundJoin = eq(refunds.paymentId, payments.id);
/** Amounts refunded: the sale's amount per confirmed refund (never more than the sale). */
const sumRefunded = (filter = sql`true`) =>
  sql<string>`coalesce(sum(${refunds.amountAtomic}) filter (where ${refunded} and ${filter}), 0)::text`.mapWith(
    String,
  );
const countRefunded = (filter = sql`true`) =>
  sql<number>`count(${refunds.id}) filter (where ${refunded} and ${filter})`.mapWith(Number);
const count = (filter = sql`true`) => sql<number>`count(*) filter (where ${filter})`.mapWith(Number);
/** Sums of int8 are numeric in Postgres; read them as text, never as a JS number. */
const sumAtomic = (filter = sql`true`) =>
  sql<string>`coalesce(sum(${payments.amountAtomic}) filter (where ${filter}), 0)::text`.mapWith(String);

export const emptySummary = (): SalesSummary => ({
  sales: 0,
  revenueAtomic: 0n,
  uniquePayers: 0,
  refunds: 0,
  refundedAtomic: 0n,
  channels: { browser: 0, agent: 0 },
  funnel: { shown402: 0, attempted: 0, settled: 0, receiptReads: 0 },
});

export async function salesSummary(db: Db, resources: readonly string[]): Promise<SalesSummary> {
  if (resources.length === 0) return emptySummary();
  const keys = [...resources];
  const [[money], [stats]] = await Promise.all([
    db
      .select({
        sales: count(settled),
        revenue: sumAtomic(settled),
        payers: sql<number>`count(distinct ${payments.payer}) filter (where ${settled})`.mapWith(Number),
        browser: count(sql`${settled} and ${payments.channel} = 'browser'`),
        agent: count(sql`${settled} and ${payments.channel} = 'agent'`),
        attempted: count(),
        refunds: countRefunded(settled),
        refunded: sumRefunded(settled),
      })
      .from(payments)
      .leftJoin(refunds, refundJoin)
      .where(inArray(payments.resource, keys)),
    db
      .select({
        shown402: sql<number>`coalesce(sum(${resourceStats.shown402}), 0)`.mapWith(Number),
        receiptReads: sql<number>`coalesce(sum(${resourceStats.receiptReads}), 0)`.mapWith(Number),
      })
      .from(resourceStats)
      .where(inArray(resourceStats.resource, keys)),
  ]);
  return {
    sales: money?.sales ?? 0,
    revenueAtomic: BigInt(money?.revenue ?? "0"),
    uniquePayers: money?.payers ?? 0,
    refunds: money?.refunds ?? 0,
    refundedAtomic: BigInt(money?.refunded ?? "0"),
    channels: { browser: money?.browser ?? 0, agent: money?.agent ?? 0 },
    funnel: {
      shown402: stats?.shown402 ?? 0,
      attempted: money?.attempted ?? 0,
      settled: money?.sales ?? 0,
      receiptReads: stats?.receiptReads ?? 0,
    },
  };
}

/** Settled sales per resource, for the dashboard's tables. Resources without sales are absent. */
export async function salesByResource(
  db: Db,
  resources: readonly string[],
): Promise<Map<string, ResourceSales>> {
  if (resources.length === 0) return new Map();
  const rows = await db
    .select({
      resource: payments.resource,
      sales: sql<number>`count(*)`.mapWith(Number),
      revenue: sql<string>`sum(${payments.amountAtomic})::text`.mapWith(String),
      payers: sql<number>`count(distinct ${payments.payer})`.mapWith(Number),
      refunds: countRefunded(),
      refunded: sumRefunded(),
    })
    .from(payments)
    .leftJoin(refunds, refundJoin)
    .where(and(inArray(payments.resource, [...resources]), settled))
    .groupBy(payments.resource);
  return new Map(
    rows.map((r) => [
      r.resource,
      {
        resource: r.resource,
        sales: r.sales,
        revenueAtomic: BigInt(r.revenue),
        uniquePayers: r.payers,
        refunds: r.refunds,
        refundedAtomic: BigInt(r.refunded),
      },
    ]),
  );
}

const DAY_MS = 86_400_000;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** Revenue per UTC day over the last `days` days (today included), zero days filled in. */
export async function revenueByDay(
  db: Db,
  resources: readonly string[],
  { days = 30, now = new Date() }: { days?: number; now?: Date } = {},
): Promise<DayRevenue[]> {
  const first = new Date(Date.parse(utcDay(now)) - (days - 1) * DAY_MS);
  const rows =
    resources.length === 0
      ? []
      : await db
          .select({
            day: sql<string>`to_char(${payments.settledAt} at time zone 'UTC', 'YYYY-MM-DD')`.mapWith(String),
            sales: sql<number>`count(*)`.mapWith(Number),
            revenue: sql<string>`sum(${payments.amountAtomic})::text`.mapWith(String),
            refunds: countRefunded(),
            refunded: sumRefunded(),
          })
          .from(payments)
          .leftJoin(refunds, refundJoin)
          .where(and(inArray(payments.resource, [...resources]), settled, gte(payments.settledAt, first)))
          .groupBy(sql`1`)
          .orderBy(sql`1`);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const day = utcDay(new Date(first.getTime() + i * DAY_MS));
    const row = byDay.get(day);
    return {
      day,
      sales: row?.sales ?? 0,
      revenueAtomic: BigInt(row?.revenue ?? "0"),
      refunds: row?.refunds ?? 0,
      refundedAtomic: BigInt(row?.refunded ?? "0"),
    };
  });
}

const saleColumns = {
  id: payments.id,
  resource: payments.resource,
  payer: payments.payer,
  amountAtomic: payments.amountAtomic,
  txHash: payments.txHash,
  channel: payments.channel,
  method: payments.method,
  network: payments.network,
  refundDue: payments.refundDue,
  settledAt: sql<Date>`coalesce(${payments.settledAt}, ${payments.updatedAt})`.mapWith(payments.settledAt),
  refundStatus: refunds.status,
  refundTx: refunds.txHash,
  refundedAt: refunds.confirmedAt,
};

type SaleSelect = Omit<SaleRow, "refund"> & {
  refundStatus: "pending" | "confirmed" | null;
  refundTx: string | null;
  refundedAt: Date | null;
};

function toSaleRow({ refundStatus, refundTx, refundedAt, ...row }: SaleSelect): SaleRow {
  return {
    ...row,
    refund:
      refundStatus && refundTx
        ? { status: refundStatus === "confirmed" ? "refunded" : "pending", txHash: refundTx, at: refundedAt }
        : null,
  };
}

/** The newest settled payments, newest first. */
export async function recentSales(db: Db, resources: readonly string[], limit = 20): Promise<SaleRow[]> {
  if (resources.length === 0) return [];
  const rows = await db
    .select(saleColumns)
    .from(payments)
    .leftJoin(refunds, refundJoin)
    .where(and(inArray(payments.resource, [...resources]), settled))
    .orderBy(desc(payments.settledAt), desc(payments.id))
    .limit(limit);
  return rows.map(toSaleRow);
}

/** Every settled payment, oldest first, for the CSV export (capped: a spreadsheet, not a backup). */
export async function allSales(db: Db, resources: readonly string[], cap = 100_000): Promise<SaleRow[]> {
  if (resources.length === 0) return [];
  const rows = await db
    .select(saleColumns)
    .from(payments)
    .leftJoin(refunds, refundJoin)
    .where(and(inArray(payments.resource, [...resources]), eq(payments.status, "settled")))
    .orderBy(asc(payments.settledAt), asc(payments.id))
    .limit(cap);
  return rows.map(toSaleRow);
}
