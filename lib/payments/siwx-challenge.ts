// The sign-in-with-x challenge a priced 402 carries, and what it binds (lib/x402/siwx.ts): the
// nonces' key, the resource, its URL and the chain. Shared by the 402 and the check of its answer.
import "server-only";
import { createHmac } from "node:crypto";
import { accessTerms, type PricedResource } from "../content/catalog";
import type { ReceiptSecrets } from "../verify";
import type { ChainConfig } from "../x402/requirements";
import type { SiwxTarget } from "../x402/siwx";

const keys = new WeakMap<ReceiptSecrets, Uint8Array>();

/** The nonces' HMAC key, derived from the current receipt secret (its own purpose string). */
function siwxKey(secrets: ReceiptSecrets): Uint8Array {
  let key = keys.get(secrets);
  if (!key) {
    key = createHmac("sha256", secrets.current).update("kiosk siwx nonce key v1").digest();
    keys.set(secrets, key);
  }
  return key;
}

/** What a challenge for this resource binds: built the same for the 402 and for the check. */
export function siwxTarget(
  ctx: { secrets: ReceiptSecrets; chain: ChainConfig },
  resource: PricedResource,
  resourceUrl: string,
): SiwxTarget {
  return { key: siwxKey(ctx.secrets), resourceKey: resource.key, resourceUrl, network: ctx.chain.caip2 };
}

/** Whether a purchase of this resource can be read again (per-request data cannot: nothing to restore). */
export function restorable(resource: PricedResource): boolean {
  return accessTerms(resource, new Date(0)).grantsAccess;
}
