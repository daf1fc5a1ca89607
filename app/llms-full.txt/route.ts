// GET /llms-full.txt → 200 llms.txt with every free article in full and every priced one's teaser | 503 no database
import { llmsDocument } from "@/lib/content/llms";
import { catalogueDocumentRoute } from "@/lib/http/catalogue-document";

export const dynamic = "force-dynamic";

export const GET = catalogueDocumentRoute("text/plain; charset=utf-8", (entries, ctx) =>
  llmsDocument("llms-full.txt", entries, ctx),
);
