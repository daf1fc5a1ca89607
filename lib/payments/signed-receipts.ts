// Who may download which signed receipt. A transaction hash is public (anyone can read it off the
// chain), so it only names the purchase; the download is served to the purchaser alone, who shows a
// receipt token (Bearer or the page's cookie) that this site issued to the payer for that resource.
// A stranger holding the hash, or a receipt of their own for the same article, gets nothing.
import "server-only";
import type { Db } from "../db/client";
import { loadPricedResource } from "../content/resources";
import { parseResourceKey } from "../content/resource-keys";
import { signReceipt, type SignedReceiptFile } from "../receipts/signed-receipt";
import type { ReceiptSigningKeys } from "../receipts/signing-keys";
import type { ReceiptSecrets } from "../verify";
import { checkReceipt, revocationsFor } from "./revocations";
import { entitlementForPayment, getPaymentByTx } from "./store";

export type SignedReceiptContext = {
  db: Db;
  secrets: ReceiptSecrets;
  signing: ReceiptSigningKeys;
  network: string;
  /** The site's origin (PUBLIC_URL, else the request's). */
  origin: string;
  now?: Date;
};

export type SignedReceiptResult =
  | { kind: "ok"; file: SignedReceiptFile; filename: string }
  | { kind: "not-signed-in" }
  | { kind: "not-yours" }
  | { kind: "not-found" };

export const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * The signed receipt of the purchase settled by `txHash`, for the bearer of `token`: a receipt
 * token whose payer and resource are that purchase's. Without a token: not signed in (checked
 * before anything is read). A token for another wallet or another resource: not yours.
 */
export async function signedReceiptFor(
  ctx: SignedReceiptContext,
  txHash: string,
  token: string | null,
): Promise<SignedReceiptResult> {
  if (!token) return { kind: "not-signed-in" };
  if (!TX_HASH.test(txHash)) return { kind: "not-found" };
  const now = ctx.now ?? new Date();
  const payment = await getPaymentByTx(ctx.db, ctx.network, txHash);
  if (!payment || payment.status !== "settled" || !payment.txHash) return { kind: "not-found" };
  const check = await checkReceipt(revocationsFor(ctx.db), token, payment.resource, ctx.secrets, now);
  if (check.kind !== "valid" || check.claims.sub !== payment.payer) return { kind: "not-yours" };

  const [entitlement, loaded] = await Promise.all([
    entitlementForPayment(ctx.db, payment.id),
    loadPricedResource(ctx.db, payment.resource),
  ]);
  // Refunded: the purchase no longer stands, so the site signs nothing more about it.
  if (entitlement?.revokedAt) return { kind: "not-found" };
  const paidAt = (payment.settledAt ?? payment.createdAt).toISOString();
  const ref = parseResourceKey(payment.resource);
  const apiPath =
    loaded?.resource.apiPath ??
    (ref?.kind === "article"
      ? `/api/articles/${encodeURIComponent(ref.slug)}`
      : `/api/data/${ref?.path ?? ""}`);
  const file = await signReceipt(
    {
      type: "kiosk-receipt",
      version: 1,
      site: ctx.origin,
      resource: { key: payment.resource, url: ctx.origin + apiPath, title: loaded?.resource.title ?? "" },
      price: { amount: payment.amountAtomic.toString(), asset: payment.asset, symbol: "USDC", decimals: 6 },
      payer: payment.payer,
      payTo: payment.payTo,
      network: payment.network,
      transaction: payment.txHash,
      method: payment.method,
      paidAt,
      access: entitlement
        ? { from: entitlement.createdAt.toISOString(), until: entitlement.expiresAt?.toISOString() ?? null }
        : { from: paidAt, until: paidAt },
      issuedAt: now.toISOString(),
    },
    ctx.signing,
  );
  return { kind: "ok", file, filename: `kiosk-receipt-${payment.txHash.slice(0, 12)}.json` };
}
