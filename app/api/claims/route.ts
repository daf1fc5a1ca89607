// POST /api/claims {resource, txHash, signature, quote, issuedAt} → 200 content + receipt | 402 pending/not-found/refused | 400 | 404 | 409 | 429 | 503
import { articleResource, dataResource, toArticleDto } from "@/lib/content/catalog";
import { getArticleBySlug, getDataEndpointByPath } from "@/lib/db/queries";
import { env } from "@/lib/env";
import { errorResponse, toErrorResponse } from "@/lib/http/errors";
import { claimBodySchema, handleTransferClaim } from "@/lib/payments/claim";
import { trustedProxyHops } from "@/lib/env";
import { allowRequest, ipKey } from "@/lib/http/rate-limit";
import { paidContext } from "@/lib/payments/server";
import { readLimited } from "@/lib/http/route";
import { resourceKeyForPath } from "@/lib/verify";

export const dynamic = "force-dynamic";

/** A claim is a few hundred bytes; anything much larger is refused before it is read. */
const MAX_CLAIM_BYTES = 8_192;
/** Every claim can cost chain reads, so claims are counted, per client IP and per hash (a minute). */
export const CLAIMS_PER_IP_PER_MINUTE = 60;
export const CLAIMS_PER_HASH_PER_MINUTE = 40; // a client polling every 2 s while confirmations come in

const tooMany = () =>
  errorResponse("rate_limited", "Too many claims; wait a minute and try again.", { "retry-after": "60" });

export async function POST(req: Request) {
  try {
    if (!(await allowRequest(`claims:${ipKey(req.headers, trustedProxyHops())}`, CLAIMS_PER_IP_PER_MINUTE)))
      return tooMany();
    let json: unknown;
    try {
      json = JSON.parse(await readLimited(req, MAX_CLAIM_BYTES));
    } catch (error) {
      if (error instanceof SyntaxError) return errorResponse("bad_request", "The claim must be JSON.");
      throw error;
    }
    const body = claimBodySchema.safeParse(json);
    if (!body.success) return errorResponse("bad_request", body.error.issues[0]?.message ?? "Invalid claim.");
    if (!(await allowRequest(`claims:tx:${body.data.txHash.toLowerCase()}`, CLAIMS_PER_HASH_PER_MINUTE)))
      return tooMany();
    const key = resourceKeyForPath(body.data.resource);
    if (!key) return errorResponse("not_found", "No such resource.");
    const ctx = { ...(await paidContext(req)), minConfirmations: env().network.minConfirmations };
    const [kind, id] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
    if (kind === "article") {
      const row = await getArticleBySlug(ctx.db, id);
      if (!row) return errorResponse("not_found", "No such article.");
      return await handleTransferClaim(
        body.data,
        articleResource(row),
        async () => ({
          contentType: "application/json",
          body: JSON.stringify({ article: toArticleDto(row, { unlocked: true }) }),
        }),
        ctx,
      );
    }
    const row = await getDataEndpointByPath(ctx.db, id);
    if (!row) return errorResponse("not_found", "No such data endpoint.");
    return await handleTransferClaim(
      body.data,
      dataResource(row),
      async () => ({ contentType: row.contentType, body: row.content }),
      ctx,
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
