// The receipt secrets, for code that must stay light (proxy.ts): env() validates everything once
// and caches it, so this is a property read after the first request.
import { env } from "./env";
import type { ReceiptSecrets } from "./verify";

export function receiptSecrets(): ReceiptSecrets {
  return env().receiptSecrets;
}
