// GET /api/studio/articles/:id/sales → 200 { sales, revenue, uniquePayers, channels, funnel, days, recent } | 401 | 403 | 404
import { parseId } from "@/lib/http/route";
import { salesJsonRoute } from "@/lib/http/sales-routes";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  return salesJsonRoute(
    req,
    async () => ({ kind: "article", id: parseId((await params).id, "article") }),
    "article",
  );
}
