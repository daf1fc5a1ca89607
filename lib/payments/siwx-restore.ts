// An agent that already bought a resource reads it again by signing in with its wallet (the x402
// sign-in-with-x extension) instead of paying: the 402's challenge, signed, in a SIGN-IN-WITH-X
// header. Backed by the same entitlements a purchase writes. A signed message proves the wallet
// only for the resource, the time and the nonce the site issued it for, and once: a replay, a
// message for another resource, an expired one or a forged signature is 401; a wallet that holds
// nothing is asked to pay (402, with a fresh challenge), so a client that signs in first still buys.
import "server-only";
import { offerFor, type PricedResource } from "../content/catalog";
import { errorResponse } from "../http/errors";
import { ipKey, isThrottled, recordFailedAttempt } from "../http/rate-limit";
import { checkSiwx } from "../x402/siwx";
import type { PaidContext } from "./context";
import { deliverWithReceipt, paymentRequired, type Content } from "./responses";
import { restorable, siwxTarget } from "./siwx-challenge";
import { spendSiwxNonce } from "./siwx-nonces";
import { holds } from "./entitlements";

export async function restoreWithSiwx(
  req: Request,
  header: string,
  resource: PricedResource,
  produce: () => Promise<Content>,
  ctx: PaidContext,
): Promise<Response> {
  const now = ctx.now?.() ?? new Date();
  const offer = offerFor(resource, ctx.origin);
  if (!restorable(resource))
    return paymentRequired(ctx, resource, {
      offer,
      error: "This resource is paid per request: there is no purchase to sign in to; pay to read it.",
    });
  const ip = ipKey(req.headers, ctx.trustedProxyHops ?? 0);
  const check = await checkSiwx(header, siwxTarget(ctx, resource, offer.url), now, async (args) => {
    // Not the address's own key: perhaps a contract wallet (ERC-1271/6492), which takes a chain
    // call. A client that keeps failing here is throttled like failed payments are.
    if (await isThrottled([ip])) return false;
    const ok = await ctx.chainClient.verifyMessage(args).catch(() => false);
    if (!ok) await recordFailedAttempt([ip]);
    return ok;
  });
  if (check.kind === "refused") {
    if (check.reason === "malformed") return errorResponse("bad_request", check.message);
    return errorResponse("not_signed_in", check.message);
  }
  const held = await holds(ctx.db, check.address, resource.key, now);
  if (!held) {
    return paymentRequired(ctx, resource, {
      offer,
      error: `Signed in as ${check.address}, which holds no unexpired purchase of this resource: pay to read it.`,
      reason: "siwx_nothing_held",
    });
  }
  const content = await produce();
  const spent = await spendSiwxNonce(ctx.db, {
    nonce: check.nonce,
    wallet: check.address,
    resource: resource.key,
    expiresAt: check.expiresAt,
    now,
  });
  if (!spent)
    return errorResponse(
      "not_signed_in",
      "This sign-in message was already used; sign the challenge of a new 402 (each is good once).",
    );
  return deliverWithReceipt(content, resource, ctx, {
    payer: check.address,
    txHash: held.txHash,
    expiresAt: held.access.kind === "until" ? held.access.endsAt : null,
    settle: null,
    access: "entitlement",
  });
}
