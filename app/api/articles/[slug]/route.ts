// GET /api/articles/:slug → 200 the article JSON (free, receipt, or paid now) | 402 pay | 400 | 404 | 409 | 503
import { articleResource, articleSlugSchema, toArticleDto, toArticleJson } from "@/lib/content/catalog";
import { getArticleBySlug } from "@/lib/db/queries";
import { errorResponse, toErrorResponse } from "@/lib/http/errors";
import { handlePaidRequest } from "@/lib/payments/paid-request";
import { paidContext } from "@/lib/payments/server";
import { holdsReceipt } from "@/lib/verify";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  try {
    const slug = articleSlugSchema.safeParse((await params).slug);
    if (!slug.success) return errorResponse("not_found", "No such article.");
    const ctx = await paidContext(req);
    const article = await getArticleBySlug(ctx.db, slug.data, { includeUnpublished: true });
    if (!article) return errorResponse("not_found", "No such article.");
    const resource = articleResource(article);
    // Unpublished: gone for everyone except readers whose receipt says they paid for it.
    if (!article.published && !(await holdsReceipt(req.headers, resource.key, ctx.secrets)))
      return errorResponse("not_found", "No such article.");
    return await handlePaidRequest(
      req,
      resource,
      async () => ({
        contentType: "application/json",
        body: JSON.stringify({ article: toArticleJson(toArticleDto(article, { unlocked: true })) }),
      }),
      ctx,
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
