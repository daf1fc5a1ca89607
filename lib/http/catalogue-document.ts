// The route handler behind each document built from the published catalogue (/.well-known/x402,
// llms.txt, llms-full.txt, openapi.json): the cached catalogue (no query while its version is
// current), this deployment's origin, network and asset, the moment prices are quoted at, and the
// document's own serializer, which keeps its output per catalogue (fromCatalogue), so a warm
// request is a lookup.
import "server-only";
import type { CatalogueEntry } from "../content/catalog";
import { publishedCatalogue } from "../content/catalog-cache";
import type { DiscoveryContext } from "../content/discovery";
import { env } from "../env";
import { openDatabase } from "./database";
import { baseUrlFor } from "./origin";
import { apiRoute } from "./route";

export function catalogueDocumentRoute(
  contentType: string,
  build: (entries: readonly CatalogueEntry[], ctx: DiscoveryContext) => string,
): (req: Request) => Promise<Response> {
  return apiRoute(async (req: Request) => {
    const db = await openDatabase();
    const { network, publicUrl } = env();
    const ctx = {
      origin: baseUrlFor(publicUrl, req),
      network: network.caip2,
      asset: network.usdc,
      now: new Date(),
    };
    return new Response(build(await publishedCatalogue(db), ctx), {
      headers: {
        "content-type": contentType,
        // Clients revalidate: a studio publish shows at once.
        "cache-control": "no-cache",
        "access-control-allow-origin": "*",
      },
    });
  });
}
