// POST /api/claims {resource, txHash, signature} → 200 content + receipt | 402 pending/not-found/refused | 400 | 404 | 409 | 503
import { articleResource, dataResource, toArticleDto } from "@/lib/content/catalog";
import { getArticleBySlug, getDataEndpointByPath } from "@/lib/db/queries";
import { env } from "@/lib/env";
import { errorResponse, toErrorResponse } from "@/lib/errors";
import { claimBodySchema, handleTransferClaim } from "@/lib/payments/claim";
import { paidContext } from "@/lib/payments/server";
import { resourceKeyForPath } from "@/lib/verify";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  try {
    const json: unknown = await req.json().catch(() => undefined);
    const body = claimBodySchema.safeParse(json);
    if (!body.success) return errorResponse("bad_request", body.error.issues[0]?.message ?? "Invalid claim.");
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
