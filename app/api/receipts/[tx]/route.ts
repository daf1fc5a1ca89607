// GET /api/receipts/:tx → 200 the signed receipt (JSON) | 401 no receipt token | 403 not this purchase's | 404 | 503
import { receiptByTransactionRoute } from "@/lib/http/receipt-routes";

export const dynamic = "force-dynamic";

export const GET = receiptByTransactionRoute;
