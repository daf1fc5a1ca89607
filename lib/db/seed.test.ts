// The seed and the catalog queries against a real (in-memory) PGlite with the real migrations.
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Devnet } from "../devnet/file";
import {
  seedArticles,
  seedDataEndpoints,
  seedFreeArticles,
  seedPricedArticles,
  seedPublisher,
} from "./seed-content";
import { MIN_PRICE_ATOMIC } from "../content/money";
import { fillBodyTrees } from "./body-trees";
import { openDb, type Db, type DbHandle } from "./client";
import { getArticleBySlug, getDataEndpointByPath, listDataEndpoints, listPublishedArticles } from "./queries";
import { articles, dataEndpoints, publishers } from "./schema";
import { seed } from "./seed";
import { ANVIL_KEYS } from "../devnet/deploy"; // anvil's published test keys

// A fake address book is fine here: the seed only reads payTo. Mixed case on purpose.
const payTo = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const devnet: Devnet = {
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337,
  usdc: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  payTo,
  facilitator: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  multicall: "0xcA11bde05977b3631167028862bE2a173976CA11",
  walletFactory: "0xB7f8BC63BbcaD18155201308C8f3540b07f84F5e",
  accounts: [
    {
      role: "publisher",
      address: payTo,
      privateKey: ANVIL_KEYS[1],
    },
  ],
};

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
  handle = await openDb({ kind: "pglite", dataDir: null });
  db = handle.db;
  await seed(db, devnet);
});

afterAll(async () => {
  await handle?.close();
});

const tableCounts = async () => ({
  publishers: (await db.select({ n: count() }).from(publishers))[0]?.n,
  articles: (await db.select({ n: count() }).from(articles))[0]?.n,
  dataEndpoints: (await db.select({ n: count() }).from(dataEndpoints))[0]?.n,
});

describe("seed content", () => {
  it("has six or more priced articles and one free one, within the price range", () => {
    expect(seedPricedArticles.length).toBeGreaterThanOrEqual(6);
    expect(seedFreeArticles).toHaveLength(1);
    for (const a of seedPricedArticles) {
      expect(a.priceAtomic, a.slug).toBeGreaterThanOrEqual(10_000n);
      expect(a.priceAtomic, a.slug).toBeLessThanOrEqual(500_000n);
      expect([86_400, 604_800, 2_592_000, null], a.slug).toContain(a.accessWindowSeconds);
    }
    expect(new Set(seedArticles.map((a) => a.slug)).size).toBe(seedArticles.length);
  });

  it("puts each secret sentence in the body, never in the teaser or title, and in a greppable form", () => {
    for (const a of seedArticles) {
      expect(a.body, a.slug).toContain(a.secretSentence);
      expect(a.teaser, a.slug).not.toContain(a.secretSentence);
      expect(a.title).not.toContain(a.secretSentence);
      expect(a.secretSentence, a.slug).toMatch(/^[A-Za-z ,.-]+$/); // nothing HTML or Markdown would change
      expect(a.body.split(/\n\s*\n/).length, a.slug).toBeGreaterThanOrEqual(4);
    }
    expect(new Set(seedArticles.map((a) => a.secretSentence)).size).toBe(seedArticles.length);
  });

  it("has a per-request JSON dataset, a windowed CSV and a free endpoint", () => {
    const byPath = new Map(seedDataEndpoints.map((d) => [d.path, d]));
    expect(byPath.get("markets/stablecoin-supply.json")).toMatchObject({
      contentType: "application/json",
      accessWindowSeconds: null,
    });
    expect(byPath.get("weather/harbor-tides.csv")).toMatchObject({
      contentType: "text/csv",
      accessWindowSeconds: 86_400,
    });
    expect(byPath.get("status.json")).toMatchObject({ priceAtomic: 0n });
    // What is priced obeys the studio's minimum; only the free items sit below it, at zero.
    for (const d of seedDataEndpoints)
      if (d.priceAtomic !== 0n) expect(d.priceAtomic, d.path).toBeGreaterThanOrEqual(MIN_PRICE_ATOMIC);
    for (const a of seedPricedArticles)
      expect(a.priceAtomic, a.slug).toBeGreaterThanOrEqual(MIN_PRICE_ATOMIC);
    for (const d of seedDataEndpoints)
      if (d.contentType === "application/json") expect(() => JSON.parse(d.content)).not.toThrow();
  });
});

describe("seed", () => {
  it("inserts one publisher whose wallet and payTo are the devnet payTo, lowercased", async () => {
    const rows = await db.select().from(publishers);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      wallet: payTo.toLowerCase(),
      payTo: payTo.toLowerCase(),
      name: seedPublisher.name,
    });
  });

  it("changes nothing when run again", async () => {
    const before = await tableCounts();
    const articlesBefore = await db.select().from(articles).orderBy(articles.id);
    await seed(db, devnet);
    await seed(db, devnet);
    expect(await tableCounts()).toEqual(before);
    expect(await db.select().from(articles).orderBy(articles.id)).toEqual(articlesBefore);
    expect(before).toEqual({
      publishers: 1,
      articles: seedArticles.length,
      dataEndpoints: seedDataEndpoints.length,
    });
  });

  it("does not overwrite a publisher's edits", async () => {
    const slug = seedArticles[1]!.slug;
    await db.update(articles).set({ title: "Edited" }).where(eq(articles.slug, slug));
    await seed(db, devnet);
    expect((await getArticleBySlug(db, slug))?.title).toBe("Edited");
    await db.update(articles).set({ title: seedArticles[1]!.title }).where(eq(articles.slug, slug));
  });
});

describe("catalog queries", () => {
  it("lists published articles newest first, with their publisher", async () => {
    const { rows } = await listPublishedArticles(db, { limit: 100 });
    const expected = [...seedArticles].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    expect(rows.map((r) => r.slug)).toEqual(expected.map((a) => a.slug));
    for (const row of rows) {
      expect(row.publisher.payTo).toBe(payTo.toLowerCase());
      expect(typeof row.priceAtomic).toBe("bigint");
    }
  });

  it("leaves drafts out of the listing and the lookup, unless asked", async () => {
    const [publisher] = await db.select().from(publishers);
    await db.insert(articles).values({
      publisherId: publisher!.id,
      slug: "a-draft",
      title: "A draft",
      teaser: "Not yet.",
      body: "Soon.",
      priceAtomic: 10_000n,
      published: false,
    });
    expect((await listPublishedArticles(db, { limit: 100 })).rows.map((r) => r.slug)).not.toContain(
      "a-draft",
    );
    expect(await getArticleBySlug(db, "a-draft")).toBeNull();
    expect((await getArticleBySlug(db, "a-draft", { includeUnpublished: true }))?.title).toBe("A draft");
  });

  it("stores each seeded body's parsed tree, and gives rows from before the column theirs", async () => {
    for (const row of (await listPublishedArticles(db, { limit: 100 })).rows)
      expect(row.bodyTree?.type, row.slug).toBe("root");
    const [publisher] = await db.select().from(publishers);
    await db.insert(articles).values({
      publisherId: publisher!.id,
      slug: "before-trees",
      title: "Old",
      teaser: "Old.",
      body: "Old *words*.\n\n" + ">".repeat(5_000),
      priceAtomic: 10_000n,
      published: true,
    });
    expect(await fillBodyTrees(db)).toBeGreaterThan(0); // this row, and any other test's raw insert
    const old = await getArticleBySlug(db, "before-trees");
    // Too deep for today's parser, so it is kept as plain paragraphs rather than refused.
    expect(JSON.stringify(old?.bodyTree)).toContain("Old *words*.");
    expect(await fillBodyTrees(db)).toBe(0);
  });

  it("finds an article by slug, joined with its publisher", async () => {
    const seeded = seedPricedArticles[0]!;
    const row = await getArticleBySlug(db, seeded.slug);
    expect(row).toMatchObject({
      slug: seeded.slug,
      title: seeded.title,
      body: seeded.body,
      priceAtomic: seeded.priceAtomic,
      accessWindowSeconds: seeded.accessWindowSeconds,
      publisher: { name: seedPublisher.name, payTo: payTo.toLowerCase() },
    });
    expect(await getArticleBySlug(db, "no-such-article")).toBeNull();
  });

  it("lists data endpoints by path and finds one by path", async () => {
    const { rows } = await listDataEndpoints(db, { limit: 100 });
    expect(rows.map((r) => r.path)).toEqual(seedDataEndpoints.map((d) => d.path).sort());
    const tides = await getDataEndpointByPath(db, "weather/harbor-tides.csv");
    expect(tides).toMatchObject({
      contentType: "text/csv",
      accessWindowSeconds: 86_400,
      priceAtomic: 50_000n,
    });
    expect(tides?.publisher.name).toBe(seedPublisher.name);
    expect(await getDataEndpointByPath(db, "weather/nothing.csv")).toBeNull();
  });
});
