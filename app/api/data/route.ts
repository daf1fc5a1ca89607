// GET /api/data → 200 the published data endpoints with prices, free to read (for agents) | 503 no database
import { baseUrlFor, dataListingItem } from "@/lib/content/listing";
import { getDb, type Db } from "@/lib/db";
import { listDataEndpoints } from "@/lib/db/queries";
import { env } from "@/lib/env";
import { errorResponse, toErrorResponse } from "@/lib/errors";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  let db: Db;
  try {
    db = await getDb();
  } catch (error) {
    console.error("[kiosk] database unavailable", error);
    return errorResponse("database_unavailable", "The catalog is unavailable right now; try again shortly.");
  }
  try {
    const { network, publicUrl } = env();
    const ctx = {
      baseUrl: baseUrlFor(publicUrl, req),
      asset: network.usdc,
      network: network.caip2,
    };
    const rows = await listDataEndpoints(db);
    return Response.json(
      rows.map((row) => dataListingItem(row, ctx)),
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
