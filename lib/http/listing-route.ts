// The free catalog listings (GET /api/articles, GET /api/data) for agents: the same handler for
// both, differing only in which rows are loaded, how one becomes a listing item, and the cursor.
// Answers { items, nextCursor, next }: `next` is the absolute URL of the following page, or null.
import "server-only";
import type { z } from "zod";
import { getDb, type Db } from "../db";
import type { Page } from "../db/queries";
import { env } from "../env";
import { errorResponse, toErrorResponse } from "./errors";
import { type ListingContext } from "../content/listing";
import { baseUrlFor } from "./origin";
import { encodeCursor, parsePageQuery, type PageQuery } from "../content/pagination";

export async function serveListing<Row, Cursor extends Parameters<typeof encodeCursor>[0]>(
  req: Request,
  cursorSchema: z.ZodType<Cursor, z.ZodTypeDef, unknown>,
  load: (db: Db, page: PageQuery<Cursor>) => Promise<Page<Row, Cursor>>,
  toItem: (row: Row, ctx: ListingContext) => unknown,
): Promise<Response> {
  const url = new URL(req.url);
  const query = parsePageQuery(url.searchParams, cursorSchema);
  if (query.kind === "invalid") return errorResponse("bad_request", query.reason);
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
    const page = await load(db, query.page);
    const nextCursor = page.next ? encodeCursor(page.next) : null;
    let next: string | null = null;
    if (nextCursor) {
      const params = new URLSearchParams({ cursor: nextCursor });
      if (url.searchParams.has("limit")) params.set("limit", String(query.page.limit));
      next = `${ctx.baseUrl}${url.pathname}?${params}`;
    }
    return Response.json(
      { items: page.rows.map((row) => toItem(row, ctx)), nextCursor, next },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
