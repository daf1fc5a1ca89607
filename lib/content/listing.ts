// The free JSON catalog that agents read before paying: what is for sale, at what price, on which
// network, and the absolute URL to request. Pure; the route handlers supply the network and base.
import type { ArticleWithPublisher, DataEndpointWithPublisher } from "../db/queries";
import { articleResource, dataResource } from "./catalog";

export type ListingContext = {
  /** Absolute origin without a trailing slash, e.g. "https://kiosk.example". */
  baseUrl: string;
  asset: `0x${string}`;
  /** CAIP-2, e.g. "eip155:8453". */
  network: string;
};

export type ListingPrice = { amount: string; asset: `0x${string}`; network: string };

export type ArticleListingItem = {
  slug: string;
  title: string;
  teaser: string;
  price: ListingPrice;
  accessWindowSeconds: number | null;
  url: string;
};

export type DataListingItem = {
  path: string;
  name: string;
  description: string;
  contentType: string;
  price: ListingPrice;
  accessWindowSeconds: number | null;
  url: string;
};

/**
 * The origin that absolute URLs in a response start with: PUBLIC_URL when set (production should
 * set it), else the origin the client used. Next's `req.url` names the server's own bind address
 * ("localhost" in dev), not what the client asked for, so read the Host header (or the proxy's
 * X-Forwarded-* pair) and fall back to `req.url` when it is missing or malformed.
 */
export function baseUrlFor(publicUrl: string | null, req: Request): string {
  if (publicUrl) return publicUrl;
  const fallback = new URL(req.url);
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? req.headers.get("host");
  const proto =
    req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? fallback.protocol.replace(":", "");
  if (!host || !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)) return fallback.origin;
  if (proto !== "http" && proto !== "https") return fallback.origin;
  return `${proto}://${host}`;
}

const price = (amount: bigint, ctx: ListingContext): ListingPrice => ({
  amount: amount.toString(),
  asset: ctx.asset,
  network: ctx.network,
});

export function articleListingItem(row: ArticleWithPublisher, ctx: ListingContext): ArticleListingItem {
  return {
    slug: row.slug,
    title: row.title,
    teaser: row.teaser,
    price: price(row.priceAtomic, ctx),
    accessWindowSeconds: row.accessWindowSeconds,
    url: ctx.baseUrl + articleResource(row).apiPath,
  };
}

export function dataListingItem(row: DataEndpointWithPublisher, ctx: ListingContext): DataListingItem {
  return {
    path: row.path,
    name: row.name,
    description: row.description,
    contentType: row.contentType,
    price: price(row.priceAtomic, ctx),
    accessWindowSeconds: row.accessWindowSeconds,
    url: ctx.baseUrl + dataResource(row).apiPath,
  };
}
