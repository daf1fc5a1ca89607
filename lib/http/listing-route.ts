// The free catalog listings (GET /api/articles, GET /api/data) for agents: the same handler for
// both, differing only in which rows are loaded, how one becomes a listing item, and the cursor.
// Answers { items, nextCursor, next }: `next` is the absolute URL of the following page, or null.
import "server-only";
import type { z } from "zod";
import type { ListingContext } from "../content/listing";
import { encodeCursor, parsePageQuery, type PageQuery } from "../content/pagination";
import type { Db } from "../db";
import type { Page } from "../db/queries";
import { env } from "../env";
import { openDatabase } from "./database";
import { errorResponse } from "./errors";
import { baseUrlFor } from "./origin";
import { apiRoute } from "./route";

export function serveListing<Row, Cursor extends Parameters<typeof encodeCursor>[0]>(
  req: Request,
  cursorSchema: z.ZodType<Cursor, z.ZodTypeDef, unknown>,
  load: (db: Db, page: PageQuery<Cursor>) => Promise<Page<Row, Cursor>>,
  toItem: (row: Row, ctx: ListingContext) => unknown,
): Promise<Response> {
  return apiRoute(async () => {
    const url = new URL(req.url);
    const query = parsePageQuery(url.searchParams, cursorSchema);
    if (query.kind === "invalid") return errorResponse("bad_request", query.reason);
    const db = await openDatabase();
    const { network, publicUrl } = env();
    const ctx = {
      baseUrl: baseUrlFor(publicUrl, req),
      asset: network.usdc,
      network: network.caip2,
      now: new Date(),
    };
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
  })(req);
}
