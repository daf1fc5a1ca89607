// GET /api/studio/sales → 200 the publisher's whole sales report (every article and endpoint) | 401 | 403 no profile
import { salesJsonRoute } from "@/lib/http/sales-routes";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return salesJsonRoute(req, { kind: "all" }, "publisher");
}
