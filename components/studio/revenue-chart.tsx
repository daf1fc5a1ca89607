// Revenue per day as an SVG bar chart, rendered on the server: no chart library, no client
// JavaScript. Each bar carries a <title> (the browser's tooltip) with the day, amount and sales;
// the part of a day's sales refunded since is drawn in amber at the top of its bar.
import { formatUsdc } from "@/lib/content/money";
import { revenueChart } from "@/lib/studio/chart";
import type { DayRevenue } from "@/lib/studio/sales";

export function RevenueChart({ days }: { days: DayRevenue[] }) {
  const chart = revenueChart(days);
  const first = days[0]?.day;
  const last = days.at(-1)?.day;
  return (
    <figure className="rounded-xl border border-stone-200 bg-white p-4 sm:p-5">
      <figcaption className="mb-3 flex items-baseline justify-between text-sm">
        <span className="font-medium text-stone-900">Revenue, last {days.length} days</span>
        <span className="text-stone-500 tabular-nums" data-testid="revenue-chart-total">
          {formatUsdc(chart.total)}
          {chart.refunded > 0n ? ` (${formatUsdc(chart.refunded)} refunded)` : ""}
        </span>
      </figcaption>
      <svg
        data-testid="revenue-chart"
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        className="h-auto w-full"
        role="img"
        aria-label={`Revenue per day from ${first} to ${last} (UTC): ${formatUsdc(chart.total)} in total.`}
      >
        {chart.ticks.map((t) => (
          <g key={t.y}>
            <line
              x1={chart.plot.left}
              x2={chart.plot.right}
              y1={t.y}
              y2={t.y}
              className="stroke-stone-200"
              strokeDasharray={t.label === "$0.00" ? undefined : "3 3"}
            />
            <text
              x={chart.plot.left - 6}
              y={t.y}
              dy="0.32em"
              textAnchor="end"
              className="fill-stone-500 text-[10px] tabular-nums"
            >
              {t.label}
            </text>
          </g>
        ))}
        {chart.bars.map((b) =>
          b.height > 0 ? (
            <g key={b.day} data-day={b.day}>
              <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={1.5} className="fill-emerald-600">
                <title>{b.label}</title>
              </rect>
              {b.refundedHeight > 0 ? (
                <rect
                  x={b.x}
                  y={b.y}
                  width={b.width}
                  height={b.refundedHeight}
                  rx={1.5}
                  className="fill-amber-400"
                  data-testid="revenue-chart-refunded"
                >
                  <title>{b.label}</title>
                </rect>
              ) : null}
            </g>
          ) : null,
        )}
        {chart.dates.map((d) => (
          <text
            key={d.x}
            x={d.x}
            y={chart.height - 6}
            textAnchor="middle"
            className="fill-stone-500 text-[10px]"
          >
            {d.label}
          </text>
        ))}
      </svg>
    </figure>
  );
}
