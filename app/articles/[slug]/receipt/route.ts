// GET /articles/:slug/receipt → 200 the signed receipt of the reader's purchase (from the page's receipt cookie) | 401 | 403 | 404 | 503
import { receiptForArticleRoute } from "@/lib/http/receipt-routes";

export const dynamic = "force-dynamic";

export const GET = receiptForArticleRoute;
