// The sales CSV (RFC 4180). Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
// get a leading apostrophe; nothing in a sale should start that way, but a data path or a future
// column might. Amounts come twice: as dollars for people and as atomic units for machines. A
// refunded sale stays a row, with its status, when it was refunded and the refund's transaction.
import { toUsdcDecimal } from "../content/money";
import type { SaleRow } from "./sales";

export const SALES_CSV_HEADER = [
  "settled_at",
  "resource",
  "payer",
  "amount_usdc",
  "amount_atomic",
  "channel",
  "method",
  "network",
  "tx_hash",
  "status",
  "refunded_at",
  "refund_tx_hash",
] as const;

/** settled, refunded (confirmed on chain), refund_pending, or refund_due (owed back, not yet asked). */
export function saleStatus(r: Pick<SaleRow, "refund" | "refundDue">): string {
  if (r.refund?.status === "refunded") return "refunded";
  if (r.refund?.status === "pending") return "refund_pending";
  return r.refundDue ? "refund_due" : "settled";
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function salesCsv(rows: readonly SaleRow[]): string {
  const lines = [SALES_CSV_HEADER.join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.settledAt.toISOString(),
        r.resource,
        r.payer,
        toUsdcDecimal(r.amountAtomic),
        r.amountAtomic.toString(),
        r.channel,
        r.method,
        r.network,
        r.txHash ?? "",
        saleStatus(r),
        r.refund?.at?.toISOString() ?? "",
        r.refund?.txHash ?? "",
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
