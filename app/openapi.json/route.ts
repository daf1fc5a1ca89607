// GET /openapi.json → 200 the OpenAPI 3.1 description of the listings and every published item, with x-payment-info on priced ones | 503 no database
import { openApiJson } from "@/lib/content/openapi";
import { catalogueDocumentRoute } from "@/lib/http/catalogue-document";

export const dynamic = "force-dynamic";

export const GET = catalogueDocumentRoute("application/json", openApiJson);
