// GET /.well-known/x402 → 200 the discovery document: every published resource with its price, network, asset and payTo | 503 no database
import { publishedCatalogue } from "@/lib/content/catalog-cache";
import { discoveryJson } from "@/lib/content/discovery";
import { env } from "@/lib/env";
import { openDatabase } from "@/lib/http/database";
import { baseUrlFor } from "@/lib/http/origin";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (req: Request) => {
  const db = await openDatabase();
  const { network, publicUrl } = env();
  const ctx = {
    origin: baseUrlFor(publicUrl, req),
    network: network.caip2,
    asset: network.usdc,
    now: new Date(),
  };
  // From the cached catalogue (no query while its version is current); clients revalidate.
  return new Response(discoveryJson(await publishedCatalogue(db), ctx), {
    headers: {
      "content-type": "application/json",
      "cache-control": "no-cache",
      "access-control-allow-origin": "*",
    },
  });
});
