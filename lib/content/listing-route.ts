// The free catalog listings (GET /api/articles, GET /api/data) for agents: the same handler for
// both, differing only in which rows are loaded and how one becomes a listing item.
import "server-only";
import { getDb, type Db } from "../db";
import { env } from "../env";
import { errorResponse, toErrorResponse } from "../errors";
import { baseUrlFor, type ListingContext } from "./listing";

export async function serveListing<Row>(
  req: Request,
  load: (db: Db) => Promise<Row[]>,
  toItem: (row: Row, ctx: ListingContext) => unknown,
): Promise<Response> {
  let db: Db;
  try {
    db = await getDb();
  } catch (error) {
    console.error("[kiosk] database unavailable", error);
    return errorResponse("database_unavailable", "The catalog is unavailable right now; try again shortly.");
  }
  try {
    const { network, publicUrl } = env();
    const ctx = { baseUrl: baseUrlFor(publicUrl, req), asset: network.usdc, network: network.caip2 };
    const rows = await load(db);
    return Response.json(
      rows.map((row) => toItem(row, ctx)),
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
