// GET /.well-known/jwks.json → 200 the public keys (JWK Set) that verify this site's signed receipts
import { jwksRoute } from "@/lib/http/receipt-routes";

export const dynamic = "force-dynamic";

export const GET = jwksRoute;
