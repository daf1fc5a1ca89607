// The catalogue cache on a real PostgreSQL, as two instances of the site would see it: two
// connection pools on one database, each with its own cache. The studio's write through one is
// seen there at once and by the other within the version check's bound; in between, reads cost
// no database statement.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "../db/client";
import { articles } from "../db/schema";
import { startTestPostgres, type TestPostgres } from "../db/test-postgres";
import { articleCreateSchema, createArticle, updateArticle } from "../studio/articles";
import { createEndpoint, endpointCreateSchema, updateEndpoint } from "../studio/endpoints";
import { createPublisher } from "../studio/publishers";
import type { Publisher } from "../db/queries";
import { articleResource } from "./catalog";
import {
  CHECK_EVERY_MS,
  catalogChanged,
  catalogFor,
  createCatalogCache,
  fromCatalogue,
  publishedCatalogue,
  separateCatalogCache,
} from "./catalog-cache";

const WALLET = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const RULES = {
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  relayer: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
} as const;

let pg: TestPostgres;
// Instance A (where the studio writes) and instance B, each counting its statements.
let a: DbHandle;
let b: DbHandle;
const sent = { a: 0, b: 0 };
let publisher: Publisher;

beforeAll(async () => {
  pg = await startTestPostgres();
  a = await openDb({ kind: "postgres", url: pg.url, onQuery: () => void sent.a++ });
  b = await openDb({ kind: "postgres", url: pg.url, onQuery: () => void sent.b++ });
  const created = await createPublisher(a.db, WALLET, { name: "The Ledger Review" }, RULES);
  if (created.kind !== "ok") throw new Error(JSON.stringify(created));
  publisher = created.value;
}, 90_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await pg?.stop();
});

let n = 0;
async function publishedArticle(price = "0.05") {
  const slug = `tides-${++n}`;
  const input = articleCreateSchema.parse({
    title: "Tide tables",
    slug,
    body: "Tides are *forecasts*.\n\nThe rest is for paying readers.",
    price,
    accessWindow: "7d",
  });
  const created = await createArticle(a.db, publisher, input);
  if (created.kind !== "ok") throw new Error(JSON.stringify(created));
  await updateArticle(a.db, publisher, created.value.id, { published: true });
  return { id: created.value.id, slug };
}

/** Statements `run` sends through a handle. */
async function counted<T>(
  which: "a" | "b",
  run: () => Promise<T>,
): Promise<{ value: T; statements: number }> {
  const before = sent[which];
  const value = await run();
  return { value, statements: sent[which] - before };
}

describe("the catalogue cache", () => {
  it("answers repeated reads of an article and a data endpoint with no database statement", async () => {
    const { slug } = await publishedArticle();
    const endpoint = await createEndpoint(
      a.db,
      publisher,
      endpointCreateSchema.parse({
        name: "Harbor tides",
        description: "Hourly",
        path: `weather/tides-${n}.csv`,
        format: "csv",
        content: "hour,metres\n0,1.2\n",
        price: "0.01",
        accessWindow: "per-request",
        published: true,
      }),
    );
    if (endpoint.kind !== "ok") throw new Error(JSON.stringify(endpoint));
    let now = 1_000_000;
    const cache = createCatalogCache(b.db, { clock: () => now });

    const cold = await counted("b", () => cache.article(slug));
    expect(cold.value?.slug).toBe(slug);
    expect(cold.statements).toBe(2); // the version, then the row
    const data = await counted("b", () => cache.dataEndpoint(endpoint.value.path));
    expect(data.value?.content).toBe("hour,metres\n0,1.2\n");
    expect(data.statements).toBe(1);

    for (let i = 0; i < 50; i++) {
      now += (CHECK_EVERY_MS - 1) / 50;
      const warm = await counted("b", async () => ({
        article: await cache.article(slug),
        data: await cache.dataEndpoint(endpoint.value.path),
      }));
      expect(warm.statements).toBe(0);
      expect(warm.value.article?.slug).toBe(slug);
      expect(warm.value.data?.path).toBe(endpoint.value.path);
    }
    // Past the bound: one primary-key read of the version; nothing changed, so the rows stay.
    now += CHECK_EVERY_MS;
    const checked = await counted("b", () => cache.article(slug));
    expect(checked.statements).toBe(1);
    expect(checked.value?.slug).toBe(slug);
  });

  it("a studio unpublish is seen at once where it was made, and by another instance within the bound", async () => {
    const { id, slug } = await publishedArticle();
    let nowB = 5_000_000;
    const onA = catalogFor(a.db);
    const onB = createCatalogCache(b.db, { clock: () => nowB });
    expect((await onA.article(slug))?.published).toBe(true);
    expect((await onB.article(slug))?.published).toBe(true);

    expect((await updateArticle(a.db, publisher, id, { published: false })).kind).toBe("ok");
    // Where the studio wrote: at once.
    expect((await onA.article(slug))?.published).toBe(false);
    // Elsewhere: the old row until the bound, never after it.
    nowB += CHECK_EVERY_MS - 1;
    const stale = await counted("b", () => onB.article(slug));
    expect(stale.value?.published).toBe(true);
    expect(stale.statements).toBe(0);
    nowB += 1;
    const fresh = await counted("b", () => onB.article(slug));
    expect(fresh.value?.published).toBe(false);
    expect(fresh.statements).toBe(2); // the version moved: dropped and read again
  });

  it("a price change reaches the other instance's offers within the bound", async () => {
    const { id, slug } = await publishedArticle("0.05");
    let nowB = 9_000_000;
    const onB = createCatalogCache(b.db, { clock: () => nowB });
    expect(articleResource((await onB.article(slug))!).priceAtomic).toBe(50_000n);
    await updateArticle(a.db, publisher, id, { price: 70_000n });
    expect(articleResource((await catalogFor(a.db).article(slug))!).priceAtomic).toBe(70_000n);
    nowB += CHECK_EVERY_MS;
    expect(articleResource((await onB.article(slug))!).priceAtomic).toBe(70_000n);
  });

  it("a write that bypasses the studio (plain SQL) still moves the version other instances check", async () => {
    const { slug } = await publishedArticle();
    let nowB = 20_000_000;
    const onB = createCatalogCache(b.db, { clock: () => nowB });
    expect((await onB.article(slug))?.title).toBe("Tide tables");
    await a.db.update(articles).set({ title: "Tide tables, revised" }).where(eq(articles.slug, slug));
    nowB += CHECK_EVERY_MS;
    expect((await onB.article(slug))?.title).toBe("Tide tables, revised");
  });

  it("remembers that a slug names nothing, until something is created under it", async () => {
    const slug = `not-yet-${++n}`;
    const cache = catalogFor(a.db);
    expect(await cache.article(slug)).toBeNull();
    expect((await counted("a", () => cache.article(slug))).statements).toBe(0);
    const input = articleCreateSchema.parse({
      title: "Late",
      slug,
      body: "Now.",
      price: "0.01",
      accessWindow: "7d",
    });
    expect((await createArticle(a.db, publisher, input)).kind).toBe("ok");
    expect((await cache.article(slug))?.published).toBe(false);
  });

  it("an endpoint edit in the studio empties this instance's caches on that database at once", async () => {
    const made = await createEndpoint(
      a.db,
      publisher,
      endpointCreateSchema.parse({
        name: "Gauge",
        description: "Daily",
        path: `gauges/g-${++n}.json`,
        format: "json",
        content: '{"v":1}',
        price: "0.01",
        accessWindow: "per-request",
        published: true,
      }),
    );
    if (made.kind !== "ok") throw new Error(JSON.stringify(made));
    const second = separateCatalogCache(a.db, { clock: () => 0 });
    expect((await second.dataEndpoint(made.value.path))?.content).toBe('{"v":1}');
    await updateEndpoint(a.db, publisher, made.value.id, { content: '{"v":2}' });
    expect((await second.dataEndpoint(made.value.path))?.content).toBe('{"v":2}');
  });

  it("a read that started before a change does not store the old row", async () => {
    const { slug } = await publishedArticle();
    const cache = separateCatalogCache(a.db, { clock: () => 0 });
    await cache.article("warm-the-version-check");
    const before = sent.a;
    const inFlight = cache.article(slug);
    while (sent.a === before) await new Promise((r) => setImmediate(r)); // the row is being read…
    catalogChanged(a.db); // …when a write lands
    expect((await inFlight)?.slug).toBe(slug);
    // What was read before the change was not kept: the next read asks again (version, row).
    expect((await counted("a", () => cache.article(slug))).statements).toBe(2);
  });

  it("keeps within its character budget, dropping the least recently used rows", async () => {
    const first = await publishedArticle();
    const second = await publishedArticle();
    // Each seeded body is ~55 characters (×3 for its tree): room for one row, not two.
    const cache = createCatalogCache(b.db, { clock: () => 0, maxChars: 250 });
    await cache.article(first.slug);
    expect((await counted("b", () => cache.article(first.slug))).statements).toBe(0);
    await cache.article(second.slug);
    expect((await counted("b", () => cache.article(second.slug))).statements).toBe(0);
    expect((await counted("b", () => cache.article(first.slug))).statements).toBe(1);
  });

  it("serves from memory while the database is away, and refuses once the bound has passed", async () => {
    const { slug } = await publishedArticle();
    const handle = await openDb({ kind: "postgres", url: pg.url });
    let now = 0;
    const cache = createCatalogCache(handle.db, { clock: () => now });
    expect((await cache.article(slug))?.slug).toBe(slug);
    await handle.close();
    now += CHECK_EVERY_MS - 1;
    expect((await cache.article(slug))?.slug).toBe(slug);
    // Past the bound the version must be read; without it nothing stale is served.
    now += 1;
    await expect(cache.article(slug)).rejects.toThrow();
  });
});

describe("the published catalogue", () => {
  const slugs = (entries: readonly { resource: { key: string } }[]) => entries.map((e) => e.resource.key);

  it("is read once per version, then costs no statement; a publish shows at once here and within the bound elsewhere", async () => {
    const listed = await publishedArticle();
    let nowB = 40_000_000;
    const onB = createCatalogCache(b.db, { clock: () => nowB });
    const cold = await counted("b", () => onB.published());
    expect(slugs(cold.value)).toContain(`article:${listed.slug}`);
    expect(cold.statements).toBeGreaterThanOrEqual(3); // the version, the articles, the endpoints
    for (let i = 0; i < 20; i++) {
      nowB += (CHECK_EVERY_MS - 1) / 20;
      const warm = await counted("b", () => onB.published());
      expect(warm.statements).toBe(0);
      expect(warm.value).toBe(cold.value); // the same frozen list, nothing rebuilt
    }

    const fresh = await publishedArticle();
    // Where the studio wrote: at once.
    expect(slugs(await publishedCatalogue(a.db))).toContain(`article:${fresh.slug}`);
    // Elsewhere: the old list until the bound, never after it.
    nowB = 50_000_000;
    const atB = createCatalogCache(b.db, { clock: () => nowB });
    await atB.published();
    const second = await publishedArticle();
    nowB += CHECK_EVERY_MS - 1;
    expect(slugs(await atB.published())).not.toContain(`article:${second.slug}`);
    nowB += 1;
    expect(slugs(await atB.published())).toContain(`article:${second.slug}`);
  });

  it("lists published items with public fields only: a free article's body, never a priced one's", async () => {
    const forSale = await publishedArticle("0.05");
    // The studio refuses a zero price; free articles come from the seed, or plain SQL as here.
    const free = await publishedArticle();
    await a.db.update(articles).set({ priceAtomic: 0n }).where(eq(articles.id, free.id));
    const draft = await publishedArticle("0.05");
    await updateArticle(a.db, publisher, draft.id, { published: false });
    catalogChanged(a.db);
    const entries = await publishedCatalogue(a.db);
    const byKey = new Map(entries.map((e) => [e.resource.key, e]));
    expect(byKey.has(`article:${draft.slug}`)).toBe(false);
    const p = byKey.get(`article:${forSale.slug}`)!;
    expect(p).toMatchObject({ teaser: expect.any(String), freeBody: null });
    expect(p.resource.priceAtomic).toBe(50_000n);
    const priced = entries.filter((e) => e.resource.priceAtomic > 0n);
    const text = JSON.stringify(priced, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    expect(text).not.toContain("The rest is for paying readers");
    expect(byKey.get(`article:${free.slug}`)?.freeBody).toContain("The rest is for paying readers");
    expect(Object.isFrozen(entries) && Object.isFrozen(p) && Object.isFrozen(p.resource)).toBe(true);
  });

  it("fails closed: served from memory within the bound, refused once it has passed without the database", async () => {
    await publishedArticle();
    const handle = await openDb({ kind: "postgres", url: pg.url });
    let now = 0;
    const cache = createCatalogCache(handle.db, { clock: () => now });
    const list = await cache.published();
    await handle.close();
    now += CHECK_EVERY_MS - 1;
    expect(await cache.published()).toBe(list);
    now += 1;
    await expect(cache.published()).rejects.toThrow();
  });

  it("keeps what is derived from a catalogue only as long as that catalogue is current", async () => {
    const first = await publishedCatalogue(a.db);
    let builds = 0;
    const build = () => ({ n: ++builds });
    expect(fromCatalogue(first, "doc", build)).toEqual({ n: 1 });
    expect(fromCatalogue(first, "doc", build)).toEqual({ n: 1 });
    expect(fromCatalogue(first, "other origin", build)).toEqual({ n: 2 });
    catalogChanged(a.db);
    const second = await publishedCatalogue(a.db);
    expect(second).not.toBe(first);
    expect(fromCatalogue(second, "doc", build)).toEqual({ n: 3 });
  });
});
