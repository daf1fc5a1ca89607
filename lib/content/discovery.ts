// The x402 discovery document (/.well-known/x402): every published resource with what its 402
// will ask for — URL, method, price in atomic units and USD, network, asset, payTo, access
// window, MIME type, title, description, last modified — built from the same PricedResource the
// paid routes answer from, so it cannot advertise a price or a URL that the 402 does not ask.
import { getAddress } from "viem";
import { atTime, isFree, resourceTags, SERVICE_NAME, type CatalogueEntry } from "./catalog";
import { fromCatalogue } from "./catalog-cache";
import { toUsdcDecimal } from "./money";
import { pricePeriod } from "./pricing";

export type { CatalogueEntry } from "./catalog";

export type DiscoveryContext = {
  /** Absolute origin, no trailing slash. */
  origin: string;
  /** CAIP-2 network and USDC contract of this deployment. */
  network: string;
  asset: `0x${string}`;
  /** Prices are quoted as at this moment (a promotion may be running). */
  now: Date;
};

export type DiscoveryResource = {
  url: string;
  method: "GET";
  kind: "article" | "dataset";
  title: string;
  description: string;
  mimeType: string;
  /** Free resources answer 200 without payment; the price fields are then zero. */
  free: boolean;
  /** What the 402 asks now; during a promotion also the regular amount and when it ends. */
  price: { amount: string; usd: string; regularAmount?: string; promotionEndsAt?: string };
  network: string;
  asset: `0x${string}`;
  payTo: `0x${string}`;
  scheme: "exact";
  /** Seconds a purchase stays readable; null: articles forever, datasets pay per request. */
  accessWindowSeconds: number | null;
  lastModified: string;
  tags: string[];
  /** The human page, for articles. */
  page: string | null;
};

export type DiscoveryDocument = {
  x402Version: 2;
  serviceName: string;
  description: string;
  /** The free JSON listings, paginated. */
  catalogue: { articles: string; data: string };
  resources: DiscoveryResource[];
};

export function discoveryResource(entry: CatalogueEntry, ctx: DiscoveryContext): DiscoveryResource {
  const r = atTime(entry.resource, ctx.now);
  return {
    url: ctx.origin + r.apiPath,
    method: "GET",
    kind: r.kind === "article" ? "article" : "dataset",
    title: r.title,
    description: r.description,
    mimeType: r.mimeType,
    free: isFree(r),
    price: {
      amount: r.priceAtomic.toString(),
      usd: toUsdcDecimal(r.priceAtomic),
      ...(r.priceAtomic !== r.regularPriceAtomic && r.promotion
        ? {
            regularAmount: r.regularPriceAtomic.toString(),
            promotionEndsAt: r.promotion.endsAt.toISOString(),
          }
        : {}),
    },
    network: ctx.network,
    asset: ctx.asset,
    payTo: getAddress(r.payTo), // checksummed, as the 402's requirement names it
    scheme: "exact",
    accessWindowSeconds: r.accessWindowSeconds,
    lastModified: entry.lastModified.toISOString(),
    tags: resourceTags(r),
    page: r.pagePath ? ctx.origin + r.pagePath : null,
  };
}

export function discoveryDocument(
  entries: readonly CatalogueEntry[],
  ctx: DiscoveryContext,
): DiscoveryDocument {
  return {
    x402Version: 2,
    serviceName: SERVICE_NAME,
    description:
      "Articles and datasets sold per request in USDC over x402. GET a URL, answer the 402 with a PAYMENT-SIGNATURE, receive the content and a receipt.",
    catalogue: { articles: `${ctx.origin}/api/articles`, data: `${ctx.origin}/api/data` },
    resources: entries.map((e) => discoveryResource(e, ctx)),
  };
}

/**
 * The document as sent, serialized once per catalogue and context: a request for it costs a
 * lookup while the catalogue is current (publishedCatalogue).
 */
export function discoveryJson(entries: readonly CatalogueEntry[], ctx: DiscoveryContext): string {
  const period = pricePeriod(
    entries.map((e) => e.resource),
    ctx.now,
  );
  return fromCatalogue(entries, `x402 ${ctx.origin} ${ctx.network} ${ctx.asset} ${period}`, () =>
    JSON.stringify(discoveryDocument(entries, ctx)),
  );
}
