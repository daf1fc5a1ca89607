import { describe, expect, it } from "vitest";
import type { ArticleWithPublisher, DataEndpointWithPublisher } from "../db/queries";
import {
  articleEntry,
  articleResource,
  atTime,
  dataResource,
  isFree,
  toArticleDto,
  toArticleJson,
} from "./catalog";
import { storedTree } from "./markdown";
import { discoveryJson } from "./discovery";
import { articleListingItem, dataListingItem } from "./listing";
import { articleSlugSchema } from "./resource-keys";

const publisher = {
  id: 1,
  wallet: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  name: "The Ledger Review",
  payTo: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  createdAt: new Date(0),
};

const article = (overrides: Partial<ArticleWithPublisher> = {}): ArticleWithPublisher => ({
  id: 7,
  publisherId: 1,
  slug: "deep-sea",
  title: "Deep Sea",
  teaser: "What lies below.",
  body: "## Down\n\nThe secret is at the bottom.",
  bodyTree: storedTree("## Down\n\nThe secret is at the bottom."),
  priceAtomic: 50_000n,
  promoPriceAtomic: null,
  promoStartsAt: null,
  promoEndsAt: null,
  accessWindowSeconds: 2_592_000,
  published: true,
  publishedAt: new Date(0),
  createdAt: new Date(0),
  updatedAt: new Date(0),
  publisher,
  ...overrides,
});

const endpoint = (overrides: Partial<DataEndpointWithPublisher> = {}): DataEndpointWithPublisher => ({
  id: 3,
  publisherId: 1,
  path: "weather/harbor-tides.csv",
  name: "Harbor tides",
  description: "A week of tides.",
  contentType: "text/csv",
  content: "a,b\n1,2\n",
  priceAtomic: 50_000n,
  promoPriceAtomic: null,
  promoStartsAt: null,
  promoEndsAt: null,
  accessWindowSeconds: 86_400,
  published: true,
  createdAt: new Date(0),
  publisher,
  ...overrides,
});

describe("articleResource", () => {
  it("describes an article as a priced resource", () => {
    expect(articleResource(article())).toEqual({
      key: "article:deep-sea",
      kind: "article",
      apiPath: "/api/articles/deep-sea",
      pagePath: "/articles/deep-sea",
      title: "Deep Sea",
      description: "Deep Sea, full text",
      mimeType: "application/json",
      priceAtomic: 50_000n,
      regularPriceAtomic: 50_000n,
      promotion: null,
      accessWindowSeconds: 2_592_000,
      payTo: publisher.payTo,
      publisherName: "The Ledger Review",
    });
  });
});

describe("dataResource", () => {
  it("describes a data endpoint as a priced resource", () => {
    expect(dataResource(endpoint())).toEqual({
      key: "data:weather/harbor-tides.csv",
      kind: "data",
      apiPath: "/api/data/weather/harbor-tides.csv",
      pagePath: null,
      title: "Harbor tides",
      description: "A week of tides.",
      mimeType: "text/csv",
      priceAtomic: 50_000n,
      regularPriceAtomic: 50_000n,
      promotion: null,
      accessWindowSeconds: 86_400,
      payTo: publisher.payTo,
      publisherName: "The Ledger Review",
    });
  });
});

describe("isFree", () => {
  it("is true only for a zero price", () => {
    expect(isFree(articleResource(article({ priceAtomic: 0n })))).toBe(true);
    expect(isFree(articleResource(article({ priceAtomic: 1n })))).toBe(false);
    expect(isFree(dataResource(endpoint({ priceAtomic: 0n })))).toBe(true);
  });
});

describe("toArticleDto", () => {
  it("strips the body of a locked priced article", () => {
    const dto = toArticleDto(article(), { unlocked: false });
    expect(dto).toEqual({
      slug: "deep-sea",
      title: "Deep Sea",
      teaser: "What lies below.",
      author: "The Ledger Review",
      price: { amount: "50000", display: "$0.05" },
      accessWindowSeconds: 2_592_000,
      body: null,
      bodyTree: null,
    });
    expect(JSON.stringify(dto)).not.toContain("secret");
  });

  it("includes the body and its tree once unlocked; the JSON API form drops the tree", () => {
    const dto = toArticleDto(article(), { unlocked: true });
    expect(dto.body).toBe(article().body);
    expect(JSON.stringify(dto.bodyTree)).toContain("The secret is at the bottom.");
    expect(toArticleJson(dto)).toEqual({ ...dto, bodyTree: undefined });
    expect(Object.keys(toArticleJson(dto))).not.toContain("bodyTree");
  });

  it("always includes the body of a free article", () => {
    const dto = toArticleDto(article({ priceAtomic: 0n }), { unlocked: false });
    expect(dto.body).toBe(article().body);
    expect(dto.price).toEqual({ amount: "0", display: "Free" });
  });

  it("is JSON-safe (no bigint)", () => {
    expect(() => JSON.stringify(toArticleDto(article(), { unlocked: true }))).not.toThrow();
  });
});

describe("articleSlugSchema", () => {
  it("accepts kebab-case slugs only", () => {
    expect(articleSlugSchema.safeParse("the-long-wait-for-402").success).toBe(true);
    for (const bad of ["", "Upper", "a--b", "-a", "a/b", "../etc", "a b", "x".repeat(121)]) {
      expect(articleSlugSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe("listings", () => {
  const ctx = {
    baseUrl: "https://kiosk.example",
    asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    network: "eip155:84532",
    now: new Date(0),
  } as const;

  it("lists an article with its price on the network and the absolute API URL, without the body", () => {
    const item = articleListingItem(article(), ctx);
    expect(item).toEqual({
      slug: "deep-sea",
      title: "Deep Sea",
      teaser: "What lies below.",
      price: { amount: "50000", asset: ctx.asset, network: "eip155:84532" },
      accessWindowSeconds: 2_592_000,
      url: "https://kiosk.example/api/articles/deep-sea",
    });
    expect(JSON.stringify(item)).not.toContain("secret");
  });

  it("lists a data endpoint without its content", () => {
    const item = dataListingItem(endpoint(), ctx);
    expect(item).toEqual({
      path: "weather/harbor-tides.csv",
      name: "Harbor tides",
      description: "A week of tides.",
      contentType: "text/csv",
      price: { amount: "50000", asset: ctx.asset, network: "eip155:84532" },
      accessWindowSeconds: 86_400,
      url: "https://kiosk.example/api/data/weather/harbor-tides.csv",
    });
  });
});

describe("a promotion on the catalogue", () => {
  const startsAt = new Date("2026-12-01T00:00:00Z");
  const endsAt = new Date("2026-12-08T00:00:00Z");
  const promoted = article({ promoPriceAtomic: 20_000n, promoStartsAt: startsAt, promoEndsAt: endsAt });
  const ctx = {
    baseUrl: "https://kiosk.example",
    asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    network: "eip155:84532",
  } as const;

  it("prices the resource, the article and its listing from the clock, with the regular price while it runs", () => {
    const during = new Date("2026-12-02T00:00:00Z");
    expect(atTime(articleResource(promoted), during).priceAtomic).toBe(20_000n);
    expect(atTime(articleResource(promoted), endsAt).priceAtomic).toBe(50_000n);
    expect(toArticleDto(promoted, { unlocked: false, now: during }).price).toEqual({
      amount: "20000",
      display: "$0.02",
      regular: { amount: "50000", display: "$0.05" },
      promotionEndsAt: endsAt.toISOString(),
    });
    expect(toArticleDto(promoted, { unlocked: false, now: endsAt }).price).toEqual({
      amount: "50000",
      display: "$0.05",
    });
    expect(articleListingItem(promoted, { ...ctx, now: during }).price).toMatchObject({
      amount: "20000",
      regularAmount: "50000",
      promotionEndsAt: endsAt.toISOString(),
    });
    expect(articleListingItem(promoted, { ...ctx, now: endsAt }).price).toEqual({
      amount: "50000",
      asset: ctx.asset,
      network: ctx.network,
    });
  });
});

describe("the discovery document under a promotion", () => {
  it("asks what the 402 asks at each moment, though built once per catalogue", () => {
    const startsAt = new Date("2026-12-01T00:00:00Z");
    const endsAt = new Date("2026-12-08T00:00:00Z");
    const entries = [
      articleEntry(article({ promoPriceAtomic: 20_000n, promoStartsAt: startsAt, promoEndsAt: endsAt })),
    ];
    const ctx = {
      origin: "https://kiosk.example",
      network: "eip155:84532",
      asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    } as const;
    const priceAt = (now: Date) => JSON.parse(discoveryJson(entries, { ...ctx, now })).resources[0].price;
    expect(priceAt(new Date(startsAt.getTime() - 1))).toEqual({ amount: "50000", usd: "0.05" });
    expect(priceAt(startsAt)).toEqual({
      amount: "20000",
      usd: "0.02",
      regularAmount: "50000",
      promotionEndsAt: endsAt.toISOString(),
    });
    expect(priceAt(endsAt)).toEqual({ amount: "50000", usd: "0.05" });
  });
});
