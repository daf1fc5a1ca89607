// GET /api/studio/funnel.csv → 200 text/csv of the funnel (free reads, 402s shown, attempted, settled, re-reads) per item of the publisher and in total | 401 | 403 no profile
import { funnelCsvRoute } from "@/lib/http/sales-routes";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return funnelCsvRoute(req, { kind: "all" }, "publisher");
}
