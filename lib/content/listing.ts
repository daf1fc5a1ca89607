// The free JSON catalog that agents read before paying: what is for sale, at what price, on which
// network, and the absolute URL to request. Pure; the route handlers supply the network and base
// (lib/http/origin.ts works the base out from the request).
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
