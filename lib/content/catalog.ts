// The catalog as the payments code sees it: every article and data endpoint becomes one
// PricedResource (what it is, where it lives, what it costs, who is paid). And the article DTO,
// the only shape in which an article leaves the server: a locked article's body is stripped here,
// in the serializer, so no page or route can leak it by accident (Ghost does the same).
// Pure: no Next, no env, no database access (row types only).
import type { ArticleWithPublisher, DataEndpointWithPublisher } from "../db/queries";
import type { Offer } from "../x402/requirements";
import { plainTree, type BodyTree } from "./markdown";
import { formatPrice } from "./money";
import { endedPromotionPrice, priceAt, priceShown, pricedRow, promotionOf, type Promotion } from "./pricing";
import { articleKey, dataKey } from "./resource-keys";

export type PricedResource = {
  key: string; // "article:<slug>" | "data:<path>"
  kind: "article" | "data";
  apiPath: string; // "/api/articles/<slug>" | "/api/data/<path>"
  pagePath: string | null; // "/articles/<slug>" for articles, null for data
  title: string;
  description: string; // e.g. "<title>, full text" or the endpoint description
  mimeType: string; // "application/json" for articles; the endpoint's content type for data
  /** What it costs now (see `atTime`): the promotional price while one runs. 0n = free. */
  priceAtomic: bigint;
  /** The price without any promotion. */
  regularPriceAtomic: bigint;
  promotion: Promotion | null;
  accessWindowSeconds: number | null; // articles: null = forever; data: null = pay per request
  payTo: `0x${string}`; // the publisher's payout address
  publisherName: string;
};

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

export function articleResource(row: ArticleWithPublisher): PricedResource {
  return {
    key: articleKey(row.slug),
    kind: "article",
    apiPath: `/api/articles/${encodeURIComponent(row.slug)}`,
    pagePath: `/articles/${encodeURIComponent(row.slug)}`,
    title: row.title,
    description: `${row.title}, full text`,
    mimeType: "application/json",
    priceAtomic: row.priceAtomic,
    regularPriceAtomic: row.priceAtomic,
    promotion: promotionOf(row),
    accessWindowSeconds: row.accessWindowSeconds,
    payTo: row.publisher.payTo as `0x${string}`,
    publisherName: row.publisher.name,
  };
}

export function dataResource(row: DataEndpointWithPublisher): PricedResource {
  return {
    key: dataKey(row.path),
    kind: "data",
    apiPath: `/api/data/${encodePath(row.path)}`,
    pagePath: null,
    title: row.name,
    description: row.description,
    mimeType: row.contentType,
    priceAtomic: row.priceAtomic,
    regularPriceAtomic: row.priceAtomic,
    promotion: promotionOf(row),
    accessWindowSeconds: row.accessWindowSeconds,
    payTo: row.publisher.payTo as `0x${string}`,
    publisherName: row.publisher.name,
  };
}

/**
 * The resource as priced at `now`. Resources are built from cached rows, so every answer that
 * quotes or charges a price goes through this (or `pricedForPayment`).
 */
export function atTime(r: PricedResource, now: Date): PricedResource {
  const priceAtomic = priceAt(r, now);
  return priceAtomic === r.priceAtomic ? r : { ...r, priceAtomic };
}

/**
 * The resource as priced for a payment checked at `now`: as `atTime`, except that a payment signed
 * for a promotion that has just ended keeps its promotional price (see `endedPromotionPrice`).
 */
export function pricedForPayment(
  r: PricedResource,
  now: Date,
  authorization: { value: string; validBefore: string },
): PricedResource {
  const ended = endedPromotionPrice(r, now, authorization);
  return ended === null ? atTime(r, now) : { ...r, priceAtomic: ended };
}

/**
 * What one purchase buys. Articles always grant lasting access (null window = forever); a data
 * endpoint without a window is pay-per-request, so its purchase grants nothing to re-use.
 */
export function accessTerms(r: PricedResource, now: Date): { grantsAccess: boolean; expiresAt: Date | null } {
  const grantsAccess = r.kind === "article" || r.accessWindowSeconds !== null;
  const expiresAt =
    r.accessWindowSeconds === null ? null : new Date(now.getTime() + r.accessWindowSeconds * 1000);
  return { grantsAccess, expiresAt };
}

/** The name discovery catalogues list Kiosk's resources under (x402 `resource.serviceName`). */
export const SERVICE_NAME = "Kiosk";

/** Discovery tags (x402 bazaar: at most 5 printable-ASCII tags of 32 characters or fewer). */
export function resourceTags(r: PricedResource): string[] {
  return r.kind === "article" ? ["article", "news", "markdown"] : ["dataset", r.mimeType.slice(0, 32)];
}

/** What a paid GET of an article answers, as an example for discovery (the body elided). */
export function articleOutputExample(r: PricedResource): unknown {
  return {
    article: {
      title: r.title,
      author: r.publisherName,
      price: { amount: r.priceAtomic.toString(), display: formatPrice(r.priceAtomic) },
      accessWindowSeconds: r.accessWindowSeconds,
      body: "(the article's Markdown)",
    },
  };
}

/** What a 402 offers for this resource: its absolute URL on `origin`, its price and its payee. */
export function offerFor(r: PricedResource, origin: string): Offer {
  return {
    url: origin + r.apiPath,
    description: r.description,
    mimeType: r.mimeType,
    amount: r.priceAtomic,
    payTo: r.payTo,
    discovery: {
      serviceName: SERVICE_NAME,
      tags: resourceTags(r),
      ...(r.kind === "article" ? { output: { example: articleOutputExample(r) } } : {}),
    },
  };
}

/**
 * A published resource as the catalogue documents list it (discovery, OpenAPI, llms.txt, the
 * sitemap, agents' search): public fields only. A priced article's body is never here.
 */
export type CatalogueEntry = {
  resource: PricedResource;
  lastModified: Date;
  /** Articles: when first published (null if never recorded); datasets: null. */
  publishedAt: Date | null;
  /** Articles: the public teaser; datasets: null. */
  teaser: string | null;
  /** Free articles only: the Markdown body, which anyone may read; null for everything priced and every dataset. */
  freeBody: string | null;
};

export function articleEntry(row: ArticleWithPublisher): CatalogueEntry {
  return {
    resource: articleResource(row),
    lastModified: row.updatedAt,
    publishedAt: row.publishedAt,
    teaser: row.teaser,
    freeBody: row.priceAtomic === 0n ? row.body : null,
  };
}

export function dataEntry(row: DataEndpointWithPublisher): CatalogueEntry {
  return {
    resource: dataResource(row),
    lastModified: row.createdAt,
    publishedAt: null,
    teaser: null,
    freeBody: null,
  };
}

export function isFree(r: PricedResource): boolean {
  return r.priceAtomic === 0n;
}

export type ArticleDto = {
  slug: string;
  title: string;
  teaser: string;
  /** The publisher's name. */
  author: string;
  /**
   * Atomic units as a decimal string (JSON has no bigint), and the same amount for people; while a
   * promotion runs, the regular price too (shown struck through) and when the promotion ends.
   */
  price: {
    amount: string;
    display: string;
    regular?: { amount: string; display: string };
    promotionEndsAt?: string;
  };
  /** null = forever. */
  accessWindowSeconds: number | null;
  /** Markdown; null unless the reader holds access or the article is free. */
  body: string | null;
  /** The body's stored tree, what pages render: as secret as the body, null exactly when it is. */
  bodyTree: BodyTree | null;
};

/** The article as the JSON API sends it: the Markdown body, without the render tree. */
export type ArticleJson = Omit<ArticleDto, "bodyTree">;
export function toArticleJson(dto: ArticleDto): ArticleJson {
  const json: Partial<ArticleDto> = { ...dto };
  delete json.bodyTree;
  return json as ArticleJson;
}

export function toArticleDto(
  row: ArticleWithPublisher,
  { unlocked, now = new Date() }: { unlocked: boolean; now?: Date },
): ArticleDto {
  const readable = unlocked || row.priceAtomic === 0n;
  return {
    slug: row.slug,
    title: row.title,
    teaser: row.teaser,
    author: row.publisher.name,
    price: priceDisplay(pricedRow(row), now),
    accessWindowSeconds: row.accessWindowSeconds,
    body: readable ? row.body : null,
    // A row not yet given a tree (see openDb) reads as plain paragraphs: no parsing per request.
    bodyTree: readable ? (row.bodyTree ?? plainTree(row.body)) : null,
  };
}

function priceDisplay(item: Parameters<typeof priceShown>[0], now: Date): ArticleDto["price"] {
  const shown = priceShown(item, now);
  const amount = BigInt(shown.amount);
  if (shown.regularAmount === undefined) return { amount: shown.amount, display: formatPrice(amount) };
  return {
    amount: shown.amount,
    display: formatPrice(amount),
    regular: { amount: shown.regularAmount, display: formatPrice(BigInt(shown.regularAmount)) },
    promotionEndsAt: shown.promotionEndsAt,
  };
}
