// GET /llms.txt → 200 the site for language models: how to pay, where the catalogue is, every item with its price | 503 no database
import { llmsDocument } from "@/lib/content/llms";
import { catalogueDocumentRoute } from "@/lib/http/catalogue-document";

export const dynamic = "force-dynamic";

export const GET = catalogueDocumentRoute("text/plain; charset=utf-8", (entries, ctx) =>
  llmsDocument("llms.txt", entries, ctx),
);
