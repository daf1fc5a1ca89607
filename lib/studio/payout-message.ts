// The message a publisher's account wallet signs to move payouts to a new address. A stolen
// studio session is a cookie; moving the money also takes the wallet itself. The server rebuilds
// this text from what it knows (its own origin, the publisher, the new address) and the issued-at
// the client sends, so a signature only ever confirms the exact change it names, on this site, for
// a few minutes. Pure: the studio's browser code builds the same text with it.
import { getAddress } from "viem";

/** How old a confirmation may be; also how far its clock may run ahead (a minute). */
export const PAYOUT_CONFIRMATION_TTL_MS = 5 * 60_000;
export const PAYOUT_CONFIRMATION_SKEW_MS = 60_000;

export type PayoutChangeFields = {
  /** The site's host, e.g. "kiosk.example". */
  domain: string;
  /** The site's origin, e.g. "https://kiosk.example". */
  origin: string;
  chainId: number;
  publisherId: number;
  /** The wallet the publisher signs in with: the one that must sign. */
  account: string;
  /** The new payout address. */
  payTo: string;
  /** ISO 8601, as `Date.prototype.toISOString()` writes it. */
  issuedAt: string;
};

export function payoutChangeMessage(f: PayoutChangeFields): string {
  return [
    `${f.domain} asks you to confirm a new payout address for your Kiosk publisher profile.`,
    "",
    "Readers' payments will be sent to the new address from now on.",
    "",
    `Site: ${f.origin}`,
    `Publisher: ${f.publisherId}`,
    `Account: ${getAddress(f.account)}`,
    `New payout address: ${getAddress(f.payTo)}`,
    `Chain ID: ${f.chainId}`,
    `Issued At: ${f.issuedAt}`,
  ].join("\n");
}
