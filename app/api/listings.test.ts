// The two free catalog routes, end to end through their handlers: a real PGlite in a temp folder
// seeded by the real seed, and the env module reading a (fake) devnet file from that folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedArticles, seedDataEndpoints } from "@/lib/content/seed-content";
import { getDb } from "@/lib/db";
import { seed } from "@/lib/db/seed";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";
import { GET as listArticles } from "./articles/route";
import { GET as listData } from "./data/route";

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
    const articles = (await res.json()) as Array<Record<string, unknown>>;
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
    const endpoints = (await dataRes.json()) as Array<{
      path: string;
      url: string;
      price: { amount: string };
    }>;
    expect(endpoints.map((e) => e.path).sort()).toEqual(seedDataEndpoints.map((d) => d.path).sort());
    expect(endpoints.find((e) => e.path === "status.json")).toMatchObject({
      url: "http://127.0.0.1:3200/api/data/status.json",
      price: { amount: "0" },
    });
  });
});
