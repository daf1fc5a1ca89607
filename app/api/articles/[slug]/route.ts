// GET /api/articles/:slug → 200 the article JSON (free, receipt, or paid now) | 402 pay | 400 | 404 | 409 | 503
import { articleKeyOf } from "@/lib/content/resource-keys";
import { paidRoute } from "@/lib/http/paid-route";

export const dynamic = "force-dynamic";

export const GET = paidRoute(articleKeyOf);
