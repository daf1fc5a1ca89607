// A sales report (one article, one endpoint, or the whole publisher): headline figures, how
// payments came in, the funnel, revenue per day and the latest payments with their transactions,
// each with its refund: refunded, pending on chain, or a Refund button (a client leaf that loads
// the wallet on click). Server component; every figure comes from lib/studio/sales.ts (SQL aggregates).
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td } from "@/components/ui/table";
import { formatUsdc } from "@/lib/content/money";
import { share, type SalesReport } from "@/lib/studio/report";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { RefundButton } from "./refund-button";
import { RevenueChart } from "./revenue-chart";

/** What the Refund buttons need: the wallet's chain, the token, and where a refund may come from. */
export type RefundSetup = { chainConfig: WalletChainConfig; usdc: `0x${string}`; senders: string[] };

function Stat({
  label,
  value,
  testId,
  note,
}: {
  label: string;
  value: string;
  testId: string;
  note?: string;
}) {
  return (
    <div className="rounded-xl border border-stone-200 bg-white p-4">
      <dt className="text-xs font-medium tracking-wide text-stone-500 uppercase">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-stone-900 tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {note && <dd className="mt-1 text-xs text-stone-500">{note}</dd>}
    </div>
  );
}

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-8)}`;

export function SalesReportView({
  report,
  csvHref,
  explorerTxUrl,
  showResource = false,
  refunds,
}: {
  report: SalesReport;
  /** Offer refunds of each sale (the studio's pages); absent, the report is read-only. */
  refunds?: RefundSetup;
  csvHref: string;
  /** e.g. "https://basescan.org/tx/"; null on the local chain (the hash is shown unlinked). */
  explorerTxUrl: string | null;
  showResource?: boolean;
}) {
  const { summary, recent } = report;
  const { funnel } = summary;
  const steps = [
    { label: "402s shown", value: funnel.shown402, note: "asked to pay" },
    { label: "Payments attempted", value: funnel.attempted, note: "signed a payment" },
    { label: "Settled", value: funnel.settled, note: "paid on chain" },
    { label: "Re-reads", value: funnel.receiptReads, note: "came back with a receipt" },
  ];
  return (
    <div className="space-y-8" data-testid="sales-report">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <Stat label="Sales" value={String(summary.sales)} testId="sales-count" />
        <Stat label="Revenue" value={formatUsdc(summary.revenueAtomic)} testId="sales-revenue" note="USDC" />
        <Stat label="Unique payers" value={String(summary.uniquePayers)} testId="sales-payers" />
        <Stat
          label="Refunds"
          value={String(summary.refunds)}
          testId="sales-refunds"
          note={`${formatUsdc(summary.refundedAtomic)} refunded · net ${formatUsdc(summary.revenueAtomic - summary.refundedAtomic)}`}
        />
        <Stat
          label="Browser / agent"
          value={`${share(summary.channels.browser, summary.sales)} / ${share(summary.channels.agent, summary.sales)}`}
          testId="sales-channels"
          note={`${summary.channels.browser} from pages, ${summary.channels.agent} from HTTP clients`}
        />
      </dl>

      <section aria-labelledby="funnel-heading">
        <h2 id="funnel-heading" className="mb-3 text-sm font-semibold text-stone-900">
          Funnel
        </h2>
        <ol className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="sales-funnel">
          {steps.map((s, i) => (
            <li key={s.label} className="rounded-xl border border-stone-200 bg-white p-4" data-step={s.label}>
              <p className="text-xs font-medium tracking-wide text-stone-500 uppercase">{s.label}</p>
              <p className="mt-1 text-xl font-semibold text-stone-900 tabular-nums">{s.value}</p>
              <p className="mt-1 text-xs text-stone-500">
                {s.note}
                {i > 0 &&
                  i < 3 &&
                  steps[i - 1]!.value > 0 &&
                  ` · ${share(s.value, steps[i - 1]!.value)} of the step before`}
              </p>
            </li>
          ))}
        </ol>
        <p className="mt-2 text-xs text-stone-500">
          402s and re-reads are counted in batches every few seconds; payments as they happen.
        </p>
      </section>

      <RevenueChart days={report.days} />

      <section aria-labelledby="recent-heading">
        <div className="mb-3 flex items-baseline justify-between">
          <h2 id="recent-heading" className="text-sm font-semibold text-stone-900">
            Recent payments
          </h2>
          <a
            href={csvHref}
            download
            className="text-sm text-emerald-800 underline underline-offset-2"
            data-testid="sales-csv"
          >
            Export all as CSV
          </a>
        </div>
        {recent.length === 0 ? (
          <EmptyState>No sales yet.</EmptyState>
        ) : (
          <Table
            data-testid="sales-recent"
            columns={[
              { label: "When (UTC)" },
              ...(showResource ? [{ label: "What" }] : []),
              { label: "Amount" },
              { label: "Payer" },
              { label: "Via" },
              { label: "Transaction" },
              { label: "Refund" },
            ]}
          >
            {recent.map((s) => (
              <tr
                key={s.id}
                data-testid="sale-row"
                data-tx={s.txHash ?? ""}
                data-payer={s.payer}
                data-status={s.refund?.status ?? "settled"}
              >
                <Td className="whitespace-nowrap text-stone-600 tabular-nums">
                  {s.settledAt.toISOString().slice(0, 16).replace("T", " ")}
                </Td>
                {showResource && <Td className="font-mono text-xs">{s.resource}</Td>}
                <Td className="tabular-nums" data-testid="sale-amount">
                  {formatUsdc(s.amountAtomic)}
                </Td>
                <Td className="font-mono text-xs" title={s.payer}>
                  {short(s.payer)}
                </Td>
                <Td className="text-stone-600">
                  {s.channel}
                  {s.refundDue ? (
                    <span
                      data-testid="sale-refund-due"
                      title="Sent by a wallet that already held this: nothing was granted; refund it to the payer."
                      className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900"
                    >
                      refund due
                    </span>
                  ) : null}
                </Td>
                <Td className="font-mono text-xs" data-testid="sale-tx" title={s.txHash ?? undefined}>
                  {s.txHash ? (
                    explorerTxUrl ? (
                      <a
                        href={`${explorerTxUrl}${s.txHash}`}
                        className="underline underline-offset-2"
                        rel="noopener noreferrer"
                        target="_blank"
                      >
                        {short(s.txHash)}
                      </a>
                    ) : (
                      short(s.txHash)
                    )
                  ) : (
                    "–"
                  )}
                </Td>
                <Td className="text-xs">
                  {s.refund?.status === "refunded" ? (
                    <span
                      data-testid="sale-refunded"
                      title={`Refunded by ${s.refund.txHash}`}
                      className="rounded bg-stone-200 px-1.5 py-0.5 font-medium text-stone-800"
                    >
                      refunded
                    </span>
                  ) : (
                    <div className="space-y-1">
                      {s.refund?.status === "pending" && (
                        <span data-testid="sale-refund-pending" className="block text-amber-900">
                          refund pending
                        </span>
                      )}
                      {refunds && (
                        <RefundButton
                          chainConfig={refunds.chainConfig}
                          target={{
                            saleId: s.id,
                            payer: s.payer as `0x${string}`,
                            amountAtomic: s.amountAtomic.toString(),
                            amountDisplay: formatUsdc(s.amountAtomic),
                            usdc: refunds.usdc,
                            senders: refunds.senders,
                            pendingTx: (s.refund?.txHash as `0x${string}` | undefined) ?? null,
                          }}
                        />
                      )}
                    </div>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}
