// GET /api/studio/sales.csv → 200 text/csv of every settled payment for the publisher's resources | 401 | 403 no profile
import { salesCsvRoute } from "@/lib/http/sales-routes";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return salesCsvRoute(req, { kind: "all" }, "publisher");
}
