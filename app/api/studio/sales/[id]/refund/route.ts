// POST /api/studio/sales/:id/refund {txHash, amount?} → 200 refunded | 202 pending (ask again) | 400 | 401 | 403 another publisher's | 404 | 409 | 422 the transaction does not refund the sale | 429 | 503
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/http/errors";
import { parseId, readBody, studioRoute } from "@/lib/http/route";
import { chainReader } from "@/lib/payments/server";
import { refundBodySchema, refundSale } from "@/lib/studio/refunds";

export const dynamic = "force-dynamic";

/** Every request may read the chain; a studio polling every 2 s while confirmations come in fits. */
const REFUND_LIMIT = { name: "refunds", perMinute: 60, message: "Too many refund requests; wait a minute." };

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  return studioRoute(
    req,
    "publisher",
    async ({ db, publisher }) => {
      const id = parseId((await params).id, "sale");
      const body = await readBody(req, refundBodySchema, { maxBytes: 2_048 });
      const e = env().network;
      const outcome = await refundSale(db, publisher, id, body, {
        chainClient: chainReader(),
        network: e.caip2,
        usdc: e.usdc,
        minConfirmations: e.minConfirmations,
      });
      switch (outcome.kind) {
        case "refunded":
          return Response.json({ refund: outcome.refund }, { headers: { "cache-control": "no-store" } });
        case "pending":
          return Response.json(
            { refund: outcome.refund, message: outcome.message },
            { status: 202, headers: { "cache-control": "no-store", "retry-after": "2" } },
          );
        case "not-found":
          return errorResponse("not_found", "No such sale.");
        case "forbidden":
          return errorResponse("forbidden", "This sale belongs to another publisher.");
        case "refused":
          return errorResponse(outcome.code, outcome.message);
        default: {
          const unreachable: never = outcome;
          return unreachable;
        }
      }
    },
    { limit: REFUND_LIMIT },
  );
}
