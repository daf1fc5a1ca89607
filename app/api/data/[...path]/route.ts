// GET /api/data/:path* → 200 the dataset (free, receipt, or paid now) | 402 pay | 400 | 404 | 409 | 503
import { dataKeyOf } from "@/lib/content/resource-keys";
import { paidRoute } from "@/lib/http/paid-route";

export const dynamic = "force-dynamic";

export const GET = paidRoute(dataKeyOf);
