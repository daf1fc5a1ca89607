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
