// proxy.ts's receipt check: signature, expiry and resource (lib/verify.ts), then whether the
// purchase was refunded (lib/payments/revocations.ts: a list kept per process, so no statement per
// request once read). The proxy is never the only gate: when the database cannot be read the token
// is not forwarded, and the route or page checks the request again and answers for itself.
import "server-only";
import { getDb } from "../db";
import { checkReceipt, revocationsFor } from "../payments/revocations";
import type { ReceiptSecrets } from "../verify";

export async function receiptOpens(
  token: string,
  resourceKey: string,
  secrets: ReceiptSecrets,
): Promise<boolean> {
  try {
    const check = await checkReceipt(revocationsFor(await getDb()), token, resourceKey, secrets);
    return check.kind === "valid";
  } catch (error) {
    console.warn(`[kiosk] receipt check without the revocation list: ${(error as Error).message}`);
    return false;
  }
}
