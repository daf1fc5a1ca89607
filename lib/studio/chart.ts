// Geometry for the revenue-over-time chart, drawn as SVG on the server (no charting library, no
// client JavaScript). Pure: days in, rectangles and labels out. Pixel math uses numbers; the
// amounts stay bigint until they become a bar height.
import { formatUsdc } from "../content/money";
import type { DayRevenue } from "./sales";

export type ChartBar = {
  x: number;
  y: number;
  width: number;
  height: number;
  day: string;
  label: string;
  /** The refunded part of the day's sales, drawn at the top of its bar (its height in pixels); 0 for none. */
  refundedHeight: number;
};
export type Chart = {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  bars: ChartBar[];
  /** Horizontal gridlines with their amounts, bottom (0) to top (the scale's maximum). */
  ticks: { y: number; label: string }[];
  /** A few dates under the axis. */
  dates: { x: number; label: string }[];
  total: bigint;
  /** Of the total, what was refunded since. */
  refunded: bigint;
};

/** The smallest 1, 2 or 5 × 10^k atomic units that is ≥ max (at least one cent). */
export function niceMax(max: bigint): bigint {
  let step = 10_000n; // $0.01
  for (;;) {
    for (const m of [1n, 2n, 5n]) if (step * m >= max) return step * m;
    step *= 10n;
  }
}

export function revenueChart(days: readonly DayRevenue[], { width = 640, height = 180 } = {}): Chart {
  const plot = { left: 56, top: 10, right: width - 8, bottom: height - 24 };
  const plotWidth = plot.right - plot.left;
  const plotHeight = plot.bottom - plot.top;
  const max = days.reduce((m, d) => (d.revenueAtomic > m ? d.revenueAtomic : m), 0n);
  const scale = niceMax(max);
  const slot = days.length === 0 ? plotWidth : plotWidth / days.length;
  const barWidth = Math.max(1, slot * 0.7);
  const bars = days.map((d, i) => {
    // Scaled in bigint first (thousandths of the plot height), so huge amounts don't lose precision.
    const h = (Number((d.revenueAtomic * 1000n) / scale) / 1000) * plotHeight;
    const heightPx = d.revenueAtomic > 0n ? Math.max(1, h) : 0;
    const refundedPx =
      d.revenueAtomic > 0n && d.refundedAtomic > 0n
        ? Math.max(1, (Number((d.refundedAtomic * 1000n) / d.revenueAtomic) / 1000) * heightPx)
        : 0;
    const refundNote =
      d.refunds > 0
        ? `, ${formatUsdc(d.refundedAtomic)} refunded (${d.refunds} refund${d.refunds === 1 ? "" : "s"})`
        : "";
    return {
      x: round(plot.left + i * slot + (slot - barWidth) / 2),
      y: round(plot.bottom - heightPx),
      width: round(barWidth),
      height: round(heightPx),
      day: d.day,
      label: `${d.day}: ${formatUsdc(d.revenueAtomic)} from ${d.sales} sale${d.sales === 1 ? "" : "s"}${refundNote}`,
      refundedHeight: round(Math.min(refundedPx, heightPx)),
    };
  });
  const ticks = [0n, scale / 2n, scale].map((v, i) => ({
    y: round(plot.bottom - (i / 2) * plotHeight),
    label: formatUsdc(v),
  }));
  const picks = days.length <= 1 ? [0] : [0, Math.floor((days.length - 1) / 2), days.length - 1];
  const dates = [...new Set(picks)]
    .filter((i) => days[i])
    .map((i) => ({ x: round(plot.left + i * slot + slot / 2), label: shortDate(days[i]!.day) }));
  return {
    width,
    height,
    plot,
    bars,
    ticks,
    dates,
    total: days.reduce((s, d) => s + d.revenueAtomic, 0n),
    refunded: days.reduce((s, d) => s + d.refundedAtomic, 0n),
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "2030-03-05" → "Mar 5" (UTC, like the days themselves). */
export function shortDate(day: string): string {
  const [, m, d] = day.split("-");
  return `${MONTHS[Number(m) - 1] ?? m} ${Number(d)}`;
}

const round = (n: number) => Math.round(n * 10) / 10;
