// The free JSON catalog that agents read before paying: what is for sale, at what price, on which
// network, and the absolute URL to request. Pure; the route handlers supply the network and base
// (lib/http/origin.ts works the base out from the request).
import type { ArticleWithPublisher, DataEndpointWithPublisher } from "../db/queries";
import { articleResource, dataResource } from "./catalog";
import { priceShown, pricedRow, type PriceShown } from "./pricing";

export type ListingContext = {
  /** Absolute origin without a trailing slash, e.g. "https://kiosk.example". */
  baseUrl: string;
  asset: `0x${string}`;
  /** CAIP-2, e.g. "eip155:8453". */
  network: string;
  /** Prices are quoted as at this moment (a promotion may be running). */
  now: Date;
};

/** `amount` is what is charged now; during a promotion `regularAmount` and `promotionEndsAt` say so. */
export type ListingPrice = PriceShown & { asset: `0x${string}`; network: string };

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

const price = (row: Parameters<typeof pricedRow>[0], ctx: ListingContext): ListingPrice => ({
  ...priceShown(pricedRow(row), ctx.now),
  asset: ctx.asset,
  network: ctx.network,
});

export function articleListingItem(row: ArticleWithPublisher, ctx: ListingContext): ArticleListingItem {
  return {
    slug: row.slug,
    title: row.title,
    teaser: row.teaser,
    price: price(row, ctx),
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
    price: price(row, ctx),
    accessWindowSeconds: row.accessWindowSeconds,
    url: ctx.baseUrl + dataResource(row).apiPath,
  };
}
