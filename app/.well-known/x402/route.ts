// GET /.well-known/x402 → 200 the discovery document: every published resource with its price, network, asset and payTo | 503 no database
import { discoveryJson } from "@/lib/content/discovery";
import { catalogueDocumentRoute } from "@/lib/http/catalogue-document";

export const dynamic = "force-dynamic";

export const GET = catalogueDocumentRoute("application/json", discoveryJson);
