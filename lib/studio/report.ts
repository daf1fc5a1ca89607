// One resource's (or a whole publisher's) sales report, as the sales page and the JSON route show
// it: summary, funnel, 30 days of revenue and the latest payments.
import "server-only";
import { formatUsdc } from "../content/money";
import type { Db } from "../db/client";
import { saleStatus } from "./csv";
import {
  recentSales,
  revenueByDay,
  salesSummary,
  type DayRevenue,
  type SaleRow,
  type SalesSummary,
} from "./sales";

export type SalesReport = { summary: SalesSummary; days: DayRevenue[]; recent: SaleRow[] };

export async function loadSalesReport(
  db: Db,
  resources: readonly string[],
  now = new Date(),
): Promise<SalesReport> {
  const [summary, days, recent] = await Promise.all([
    salesSummary(db, resources),
    revenueByDay(db, resources, { now }),
    recentSales(db, resources),
  ]);
  return { summary, days, recent };
}

const money = (atomic: bigint) => ({ atomic: atomic.toString(), display: formatUsdc(atomic) });

/** JSON-safe: bigints become decimal strings (with a display form), dates ISO strings. */
export function salesReportJson(report: SalesReport) {
  const { summary } = report;
  return {
    sales: summary.sales,
    revenue: money(summary.revenueAtomic),
    uniquePayers: summary.uniquePayers,
    refunds: summary.refunds,
    refunded: money(summary.refundedAtomic),
    netRevenue: money(summary.revenueAtomic - summary.refundedAtomic),
    channels: summary.channels,
    funnel: summary.funnel,
    days: report.days.map((d) => ({
      day: d.day,
      sales: d.sales,
      revenue: money(d.revenueAtomic),
      refunds: d.refunds,
      refunded: money(d.refundedAtomic),
    })),
    recent: report.recent.map((s) => ({
      id: s.id,
      resource: s.resource,
      payer: s.payer,
      amount: money(s.amountAtomic),
      txHash: s.txHash,
      channel: s.channel,
      method: s.method,
      network: s.network,
      settledAt: s.settledAt.toISOString(),
      status: saleStatus(s),
      refund: s.refund ? { ...s.refund, at: s.refund.at?.toISOString() ?? null } : null,
    })),
  };
}

/** "40%" of a whole; "–" when there is nothing to divide. */
export function share(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part / whole) * 100)}%`;
}
