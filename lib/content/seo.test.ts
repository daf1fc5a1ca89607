import { describe, expect, it } from "vitest";
import { articleEntry } from "./catalog";
import { newsArticleLd, scriptSafeJson, sitemapPages } from "./seo";
import type { ArticleWithPublisher } from "../db/queries";

const row = (over: Partial<ArticleWithPublisher>) =>
  ({
    id: 1,
    slug: "a-b",
    title: "A </script><script>alert(1)</script> title",
    teaser: "Teaser & more <b>",
    body: "The secret body.",
    bodyTree: null,
    priceAtomic: 50_000n,
    accessWindowSeconds: null,
    published: true,
    publishedAt: new Date("2025-01-02T03:04:05Z"),
    updatedAt: new Date("2025-02-03T04:05:06Z"),
    createdAt: new Date("2025-01-01T00:00:00Z"),
    publisher: { name: "The Ledger", payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C" },
    ...over,
  }) as unknown as ArticleWithPublisher;

describe("scriptSafeJson", () => {
  it("cannot close or bend the script element, and reads back as the same value", () => {
    const value = { a: "</script><!-- x -->", b: "&amp;", c: "line\u2028sep\u2029" };
    const text = scriptSafeJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("newsArticleLd", () => {
  it("takes only public fields: a priced article's body is never in it", () => {
    const ld = newsArticleLd(articleEntry(row({})), "https://kiosk.example");
    expect(JSON.stringify(ld)).not.toContain("secret body");
    expect(ld).toMatchObject({
      headline: row({}).title,
      datePublished: "2025-01-02T03:04:05.000Z",
      dateModified: "2025-02-03T04:05:06.000Z",
      isAccessibleForFree: false,
      mainEntityOfPage: { "@id": "https://kiosk.example/articles/a-b" },
    });
  });

  it("falls back to the last change when the first publication was not recorded", () => {
    const ld = newsArticleLd(articleEntry(row({ publishedAt: null, priceAtomic: 0n })), "https://k.example");
    expect(ld.datePublished).toBe("2025-02-03T04:05:06.000Z");
    expect(ld.isAccessibleForFree).toBe(true);
    expect(ld).not.toHaveProperty("hasPart");
  });
});

describe("sitemapPages", () => {
  it("dates the home page by the newest article, and an empty catalogue still lists the home page", () => {
    const older = articleEntry(row({ slug: "old", updatedAt: new Date("2024-01-01T00:00:00Z") }));
    const newer = articleEntry(row({ slug: "new" }));
    expect(sitemapPages([older, newer], "https://k.example")[0]).toEqual({
      url: "https://k.example/",
      lastModified: newer.lastModified,
    });
    expect(sitemapPages([], "https://k.example")).toEqual([
      { url: "https://k.example/", lastModified: new Date(0) },
    ]);
  });
});
