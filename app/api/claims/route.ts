// POST /api/claims {resource, txHash, signature, quote, issuedAt} → 200 content + receipt | 402 pending/not-found/refused | 400 | 404 | 409 | 429 | 503
import { parseResourceKey, resourceKeyForPath } from "@/lib/content/resource-keys";
import { loadPricedResource, notFoundMessage } from "@/lib/content/resources";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/http/errors";
import { apiRoute, limitClient, limitRequests, readBody } from "@/lib/http/route";
import { claimBodySchema, handleTransferClaim } from "@/lib/payments/claim";
import { paidContext } from "@/lib/payments/server";

export const dynamic = "force-dynamic";

/** A claim is a few hundred bytes; anything much larger is refused before it is read. */
const MAX_CLAIM_BYTES = 8_192;
/** Every claim can cost chain reads, so claims are counted, per client IP and per hash (a minute). */
export const CLAIMS_PER_IP_PER_MINUTE = 60;
export const CLAIMS_PER_HASH_PER_MINUTE = 40; // a client polling every 2 s while confirmations come in
const TOO_MANY = "Too many claims; wait a minute and try again.";

export const POST = apiRoute(async (req: Request) => {
  await limitClient(req, { name: "claims", perMinute: CLAIMS_PER_IP_PER_MINUTE, message: TOO_MANY });
  const body = await readBody(req, claimBodySchema, { maxBytes: MAX_CLAIM_BYTES });
  const hashKey = `tx:${body.txHash.toLowerCase()}`;
  await limitRequests(hashKey, { name: "claims", perMinute: CLAIMS_PER_HASH_PER_MINUTE, message: TOO_MANY });
  const key = resourceKeyForPath(body.resource);
  if (!key) return errorResponse("not_found", "No such resource.");
  const ctx = { ...(await paidContext(req)), minConfirmations: env().network.minConfirmations };
  const loaded = await loadPricedResource(ctx.db, key);
  // A claim buys new access, so only what is on sale can be claimed.
  if (!loaded?.published) return errorResponse("not_found", notFoundMessage(parseResourceKey(key)!.kind));
  return await handleTransferClaim(body, loaded.resource, loaded.produce, ctx);
});
