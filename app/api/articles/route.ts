// GET /api/articles → 200 the published articles with prices, free to read (for agents), ?limit=&cursor= pages | 400 bad limit or cursor | 503 no database
import { articleListingItem } from "@/lib/content/listing";
import { serveListing } from "@/lib/http/listing-route";
import { articleCursorSchema } from "@/lib/content/pagination";
import { listPublishedArticles } from "@/lib/db/queries";

export const dynamic = "force-dynamic";

export function GET(req: Request): Promise<Response> {
  return serveListing(req, articleCursorSchema, listPublishedArticles, articleListingItem);
}
