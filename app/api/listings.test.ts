// The two free catalog routes, end to end through their handlers: a real PGlite in a temp folder
// seeded by the real seed, and the env module reading a (fake) devnet file from that folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedArticles, seedDataEndpoints } from "@/lib/db/seed-content";
import { getDb } from "@/lib/db";
import { articles, publishers } from "@/lib/db/schema";
import { seed } from "@/lib/db/seed";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";
import { GET as listArticles } from "./articles/route";
import { GET as listData } from "./data/route";

// The home page reads its request's headers (the site's origin, for the agents' example).
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "127.0.0.1:3000" }) }));

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-listings-"));
const devnet = fakeDevnet();
const request = (url: string) => new Request(url, { headers: { host: "127.0.0.1:3200" } });

beforeAll(() => {
  process.env.KIOSK_DATA_DIR = dataDir;
  delete process.env.PUBLIC_URL;
  delete process.env.DATABASE_URL;
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("GET /api/articles and /api/data", () => {
  it("answer 503 with an error body while there is no database to open", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await listArticles(request("http://localhost:3000/api/articles"));
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { code: "database_unavailable", message: expect.any(String) },
    });
  });

  it("list the published catalog with prices on the local network and absolute URLs", async () => {
    writeDevnet(dataDir, devnet);
    await seed(await getDb(), devnet); // the same connection the handlers will use

    const res = await listArticles(request("http://localhost:3000/api/articles"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: Array<Record<string, unknown>>;
      nextCursor: unknown;
      next: unknown;
    };
    expect(body).toMatchObject({ nextCursor: null, next: null });
    const articles = body.items;
    expect(articles).toHaveLength(seedArticles.length);
    const first = seedArticles.find((a) => a.slug === "the-long-wait-for-402")!;
    expect(articles).toContainEqual({
      slug: first.slug,
      title: first.title,
      teaser: first.teaser,
      price: { amount: "50000", asset: devnet.usdc, network: "eip155:31337" },
      accessWindowSeconds: 2_592_000,
      url: "http://127.0.0.1:3200/api/articles/the-long-wait-for-402",
    });
    const text = JSON.stringify(articles);
    for (const a of seedArticles) expect(text).not.toContain(a.secretSentence);

    const dataRes = await listData(request("http://localhost:3000/api/data"));
    expect(dataRes.status).toBe(200);
    const endpoints = (
      (await dataRes.json()) as {
        items: Array<{ path: string; url: string; price: { amount: string } }>;
      }
    ).items;
    expect(endpoints.map((e) => e.path).sort()).toEqual(seedDataEndpoints.map((d) => d.path).sort());
    expect(endpoints.find((e) => e.path === "status.json")).toMatchObject({
      url: "http://127.0.0.1:3200/api/data/status.json",
      price: { amount: "0" },
    });
  });
});

type ListingPage = {
  items: Array<{ slug?: string; path?: string }>;
  nextCursor: string | null;
  next: string | null;
};
const pageOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return (await res.json()) as ListingPage;
};

describe("listing pages", () => {
  it("page through every published article exactly once, in a stable order, with 50 by default", async () => {
    const db = await getDb();
    const [publisher] = await db.select().from(publishers).limit(1);
    // 120 more, many published at the very same instant, so the order must break ties itself.
    const sameInstant = new Date("2026-01-01T00:00:00.123456Z");
    await db.insert(articles).values(
      Array.from({ length: 120 }, (_, i) => ({
        publisherId: publisher!.id,
        slug: `bulk-${String(i).padStart(3, "0")}`,
        title: `Bulk ${i}`,
        teaser: "t",
        body: "b",
        priceAtomic: 10_000n,
        published: true,
        publishedAt: i % 3 === 0 ? new Date(sameInstant.getTime() - i * 1000) : sameInstant,
      })),
    );
    await db.insert(articles).values({
      publisherId: publisher!.id,
      slug: "bulk-draft",
      title: "d",
      teaser: "t",
      body: "b",
      priceAtomic: 1n,
    });
    const total = seedArticles.length + 120;

    const first = await pageOf(await listArticles(request("http://localhost:3000/api/articles")));
    expect(first.items).toHaveLength(50);
    expect(first.next).toBe(`http://127.0.0.1:3200/api/articles?cursor=${first.nextCursor}`);

    const seen: string[] = [];
    let url: string | null = "http://localhost:3000/api/articles?limit=7";
    let pages = 0;
    while (url) {
      const page = await pageOf(await listArticles(request(url)));
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((a) => a.slug!));
      url = page.next;
      if (url) expect(new URL(url).searchParams.get("limit")).toBe("7");
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / 7));
    expect(new Set(seen).size).toBe(total);
    expect(seen).not.toContain("bulk-draft");
    // The same order as one big page.
    const all = await pageOf(await listArticles(request("http://localhost:3000/api/articles?limit=100")));
    expect(seen.slice(0, 100)).toEqual(all.items.map((a) => a.slug));
    expect(all.items).toHaveLength(100);
  });

  it("page the data endpoints by path", async () => {
    const seen: string[] = [];
    let url: string | null = "http://localhost:3000/api/data?limit=1";
    while (url) {
      const page = await pageOf(await listData(request(url)));
      expect(page.items).toHaveLength(1);
      seen.push(page.items[0]!.path!);
      url = page.next;
    }
    expect(seen).toEqual(seedDataEndpoints.map((d) => d.path).sort());
  });

  it("answer 400 for a limit outside 1–100 or a cursor the server did not give out", async () => {
    for (const query of [
      "limit=0",
      "limit=101",
      "limit=-1",
      "limit=abc",
      "limit=1.5",
      "limit=",
      "cursor=nope!",
      "cursor=" + Buffer.from('["x", "y"]').toString("base64url"),
      "cursor=",
    ]) {
      for (const list of [listArticles, listData]) {
        const res = await list(request(`http://localhost:3000/api/x?${query}`));
        expect(res.status, query).toBe(400);
        expect((await res.json()).error.code).toBe("bad_request");
      }
    }
    // A data cursor is not an article cursor.
    const data = await pageOf(await listData(request("http://localhost:3000/api/data?limit=1")));
    expect(
      (await listArticles(request(`http://localhost:3000/api/articles?cursor=${data.nextCursor}`))).status,
    ).toBe(400);
  });
});

describe("the home page", () => {
  it("shows 50 articles and a link to the older ones, which shows the rest", async () => {
    const { default: HomePage } = await import("../page");
    const render = async (searchParams: Record<string, string>) =>
      renderToStaticMarkup(await HomePage({ searchParams: Promise.resolve(searchParams) }));
    const html = await render({});
    expect(html.match(/<li/g)?.length).toBeGreaterThanOrEqual(50);
    const cards = (h: string) => [...h.matchAll(/href="\/articles\/([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(cards(html)).size).toBe(50);
    const more =
      /data-testid="more-articles"[^>]*href="\/\?cursor=([^"]+)"|href="\/\?cursor=([^"]+)"[^>]*data-testid="more-articles"/.exec(
        html,
      );
    expect(more).not.toBeNull();
    const next = await render({ cursor: (more![1] ?? more![2])! });
    const overlap = cards(next).filter((slug) => cards(html).includes(slug));
    expect(overlap).toEqual([]);
    expect(new Set(cards(next)).size).toBe(50);
    // An old or edited link shows the first page rather than failing.
    expect(cards(await render({ cursor: "junk" }))).toEqual(cards(html));
  });
});
