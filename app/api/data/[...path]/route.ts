// GET /api/data/:path* → 200 the dataset (free, receipt, or paid now) | 402 pay | 400 | 404 | 409 | 503
import { dataResource } from "@/lib/content/catalog";
import { getDataEndpointByPath } from "@/lib/db/queries";
import { errorResponse, toErrorResponse } from "@/lib/http/errors";
import { handlePaidRequest } from "@/lib/payments/paid-request";
import { paidContext } from "@/lib/payments/server";
import { holdsReceipt } from "@/lib/verify";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ path: string[] }> }) {
  try {
    const path = (await params).path.join("/");
    if (path.length > 300) return errorResponse("not_found", "No such data endpoint.");
    const ctx = await paidContext(req);
    const endpoint = await getDataEndpointByPath(ctx.db, path, { includeUnpublished: true });
    if (!endpoint) return errorResponse("not_found", "No such data endpoint.");
    const resource = dataResource(endpoint);
    // Unpublished: gone for everyone except readers whose receipt says they paid for it.
    if (!endpoint.published && !(await holdsReceipt(req.headers, resource.key, ctx.secrets)))
      return errorResponse("not_found", "No such data endpoint.");
    const contentType = endpoint.contentType.startsWith("text/")
      ? `${endpoint.contentType}; charset=utf-8`
      : endpoint.contentType;
    return await handlePaidRequest(req, resource, async () => ({ contentType, body: endpoint.content }), ctx);
  } catch (error) {
    return toErrorResponse(error);
  }
}
