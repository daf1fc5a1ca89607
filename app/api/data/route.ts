// GET /api/data → 200 the published data endpoints with prices, free to read (for agents), ?limit=&cursor= pages | 400 bad limit or cursor | 503 no database
import { dataListingItem } from "@/lib/content/listing";
import { serveListing } from "@/lib/http/listing-route";
import { dataCursorSchema } from "@/lib/content/pagination";
import { listDataEndpoints } from "@/lib/db/queries";

export const dynamic = "force-dynamic";

export function GET(req: Request): Promise<Response> {
  return serveListing(req, dataCursorSchema, listDataEndpoints, dataListingItem);
}
