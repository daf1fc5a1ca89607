// The sales CSV (RFC 4180). Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
// get a leading apostrophe; nothing in a sale should start that way, but a data path or a future
// column might. Amounts come twice: as dollars for people and as atomic units for machines.
import { USDC_DECIMALS } from "../content/money";
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
] as const;

/** `70000n` → "0.07", `1500000000n` → "1500.00": a plain decimal, no symbol, no separators. */
export function decimalUsdc(atomic: bigint): string {
  const unit = 10n ** BigInt(USDC_DECIMALS);
  const sign = atomic < 0n ? "-" : "";
  const abs = atomic < 0n ? -atomic : atomic;
  const fraction = (abs % unit).toString().padStart(USDC_DECIMALS, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${sign}${abs / unit}.${fraction}`;
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
        decimalUsdc(r.amountAtomic),
        r.amountAtomic.toString(),
        r.channel,
        r.method,
        r.network,
        r.txHash ?? "",
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
