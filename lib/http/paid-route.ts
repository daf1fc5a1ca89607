// The one wrapper of the paid GET routes. The URL names a resource key (404 when it cannot) → the
// per-process payment context (503 without a database) → the resource: 404 unless it exists and is
// published, or the reader's receipt names it → the paid request (free, receipt, 402, or pay now).
// An article asked for with `Accept: text/markdown` (here, or on its page through the rewrite in
// next.config.ts) is the same purchase in another form: same 402 header, receipts and sales; only
// the bytes differ, so every article answer says `Vary: Accept`.
import "server-only";
import { z } from "zod";
import { wantsMarkdown } from "../content/article-markdown";
import type { Requested } from "../content/resource-keys";
import { loadPricedResource, notFoundMessage, type LoadedResource } from "../content/resources";
import { handlePaidRequest } from "../payments/paid-request";
import { PAYMENT_MISSING } from "../payments/responses";
import { holdsReceipt } from "../payments/revocations";
import { paidContext } from "../payments/server";
import { errorResponse } from "./errors";
import { apiRoute } from "./route";

export function paidRoute<P>(keyOf: (params: P) => Requested) {
  return apiRoute(async (req: Request, { params }: { params: Promise<P> }) => {
    const requested = keyOf(await params);
    const markdown = requested.kind === "article" && wantsMarkdown(req.headers.get("accept"));
    const answer = await answerPaid(req, requested, { markdown, markdown402: markdown });
    if (requested.kind === "article") answer.headers.append("vary", "accept");
    return answer;
  });
}

/**
 * The paid answer for what `req` asks for (the route's, or an MCP tool call's request built from
 * the call): 404, the content, the 402, or the paid request's other answers. `markdown`: an
 * article is delivered as Markdown; `markdown402`: its 402 body is the Markdown preview too (else
 * the JSON one). Errors it throws are the caller's to answer.
 */
export async function answerPaid(
  req: Request,
  { kind, key }: Requested,
  { markdown, markdown402 }: { markdown: boolean; markdown402: boolean },
): Promise<Response> {
  if (!key) return errorResponse("not_found", notFoundMessage(kind));
  const ctx = await paidContext(req);
  const loaded = await loadPricedResource(ctx.db, key, markdown ? "markdown" : "json");
  // Unpublished: gone for everyone except readers whose receipt says they paid for it.
  if (!loaded || (!loaded.published && !(await holdsReceipt(ctx.db, req.headers, key, ctx.secrets))))
    return errorResponse("not_found", notFoundMessage(kind));
  const res = await handlePaidRequest(req, loaded.resource, loaded.produce, ctx);
  return res.status === 402 && markdown402 && loaded.preview ? previewed402(res, loaded, ctx.origin) : res;
}

const problemSchema = z.object({ error: z.string().max(2000).optional() });

/**
 * The 402 of a Markdown request: its headers as they are (PAYMENT-REQUIRED above all, so any x402
 * client pays it as on the JSON route), the body the article's preview, and the JSON body's error
 * text carried over into it.
 */
async function previewed402(res: Response, loaded: LoadedResource, origin: string): Promise<Response> {
  const parsed = problemSchema.safeParse(await res.json().catch(() => null));
  const problem = parsed.success ? parsed.data.error : undefined;
  const preview = loaded.preview!({
    apiUrl: origin + loaded.resource.apiPath,
    ...(problem && problem !== PAYMENT_MISSING ? { problem } : {}),
  });
  const headers = new Headers(res.headers);
  headers.set("content-type", preview.contentType);
  return new Response(preview.body, { status: 402, headers });
}
