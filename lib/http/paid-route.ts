// The one wrapper of the paid GET routes. The URL names a resource key (404 when it cannot) → the
// per-process payment context (503 without a database) → the resource: 404 unless it exists and is
// published, or the reader's receipt names it → the paid request (free, receipt, 402, or pay now).
import "server-only";
import type { Requested } from "../content/resource-keys";
import { loadPricedResource, notFoundMessage } from "../content/resources";
import { handlePaidRequest } from "../payments/paid-request";
import { paidContext } from "../payments/server";
import { holdsReceipt } from "../verify";
import { errorResponse } from "./errors";
import { apiRoute } from "./route";

export function paidRoute<P>(keyOf: (params: P) => Requested) {
  return apiRoute(async (req: Request, { params }: { params: Promise<P> }) => {
    const { kind, key } = keyOf(await params);
    if (!key) return errorResponse("not_found", notFoundMessage(kind));
    const ctx = await paidContext(req);
    const loaded = await loadPricedResource(ctx.db, key);
    // Unpublished: gone for everyone except readers whose receipt says they paid for it.
    if (!loaded || (!loaded.published && !(await holdsReceipt(req.headers, key, ctx.secrets))))
      return errorResponse("not_found", notFoundMessage(kind));
    return await handlePaidRequest(req, loaded.resource, loaded.produce, ctx);
  });
}
