import { describe, expect, it } from "vitest";
import type { ArticleWithPublisher } from "../db/queries";
import { articleEntry } from "./catalog";
import { llmsFullTxt, llmsTxt } from "./llms";

const ctx = {
  origin: "https://kiosk.example",
  network: "eip155:8453",
  asset: "0xabc" as const,
  now: new Date(),
};
const article = (over: Partial<ArticleWithPublisher>) =>
  articleEntry({
    id: 1,
    slug: "a",
    title: "A [bracketed] title",
    teaser: "The teaser.",
    body: "# Heading\n\nThe secret body.",
    bodyTree: null,
    priceAtomic: 50_000n,
    accessWindowSeconds: 30 * 86_400,
    published: true,
    publishedAt: new Date("2025-01-01T00:00:00Z"),
    updatedAt: new Date("2025-01-02T00:00:00Z"),
    createdAt: new Date("2025-01-01T00:00:00Z"),
    publisher: { name: "The Ledger", payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C" },
    ...over,
  } as unknown as ArticleWithPublisher);

describe("llms.txt", () => {
  it("marks an item above the official client's $1 cap, and only then mentions that some are", () => {
    const cheap = llmsTxt([article({})], ctx);
    expect(cheap).not.toContain("items that cost more are marked below");
    expect(cheap).toContain(
      "- [A \\[bracketed\\] title](https://kiosk.example/api/articles/a): $0.05, readable for 30 days;",
    );
    const dear = llmsTxt([article({ slug: "dear", priceAtomic: 2_500_000n })], ctx);
    expect(dear).toContain("items that cost more are marked below");
    expect(dear).toContain("$2.50, readable for 30 days (above the official client's $1 default cap)");
  });

  it("says so when nothing is published", () => {
    expect(llmsTxt([], ctx)).toContain("## Articles\n\nNothing published yet.");
  });
});

describe("llms-full.txt", () => {
  it("keeps a priced body out, and a free body's headings below the article's own", () => {
    const doc = llmsFullTxt([article({}), article({ slug: "free", priceAtomic: 0n })], ctx);
    expect(doc.match(/The secret body\./g)).toHaveLength(1); // the free one only
    expect(doc).toContain("### Heading");
    expect(doc).toContain(
      "_The rest costs $0.05, readable for 30 days: `GET https://kiosk.example/api/articles/a`._",
    );
  });
});
