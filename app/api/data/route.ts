// GET /api/data → 200 the published data endpoints with prices, free to read (for agents) | 503 no database
import { dataListingItem } from "@/lib/content/listing";
import { serveListing } from "@/lib/content/listing-route";
import { listDataEndpoints } from "@/lib/db/queries";

export const dynamic = "force-dynamic";

export function GET(req: Request): Promise<Response> {
  return serveListing(req, listDataEndpoints, dataListingItem);
}
