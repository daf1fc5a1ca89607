// GET /api/studio/articles/:id/sales.csv → 200 text/csv of every settled payment | 401 | 403 | 404
import { parseId } from "@/lib/http/route";
import { salesCsvRoute } from "@/lib/http/sales-routes";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  return salesCsvRoute(
    req,
    async () => ({ kind: "article", id: parseId((await params).id, "article") }),
    "article",
  );
}
