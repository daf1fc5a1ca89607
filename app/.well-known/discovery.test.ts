// The discovery document against the routes it describes: every entry of /.well-known/x402 is
// requested from its own route handler; a priced one answers a 402 whose PAYMENT-REQUIRED header
// decodes with @x402/core and asks exactly what the entry says (amount, asset, network, payTo,
// resource URL and MIME type), with the bazaar extension valid by @x402/extensions' own check;
// a free one answers 200. Real PGlite seeded by the real seed; env from a devnet file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { validateDiscoveryExtension, type DiscoveryExtension } from "@x402/extensions/bazaar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiscoveryDocument } from "@/lib/content/discovery";
import { seedArticles, seedDataEndpoints } from "@/lib/db/seed-content";
import { getDb } from "@/lib/db";
import { seed } from "@/lib/db/seed";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";
import { GET as getArticle } from "../api/articles/[slug]/route";
import { GET as getData } from "../api/data/[...path]/route";
import { GET as wellKnown } from "./x402/route";
import { GET as wellKnownJson } from "./x402.json/route";

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-discovery-"));
const devnet = fakeDevnet();
const ORIGIN = "http://127.0.0.1:3200";
const get = (url: string) => new Request(url, { headers: { host: new URL(url).host } });

beforeAll(async () => {
  process.env.KIOSK_DATA_DIR = dataDir;
  delete process.env.PUBLIC_URL;
  delete process.env.DATABASE_URL;
  writeDevnet(dataDir, devnet);
  await seed(await getDb(), devnet);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The route handler that serves an absolute API URL, as Next's router would pick it. */
function request(url: string): Promise<Response> {
  const { pathname } = new URL(url);
  const article = /^\/api\/articles\/([^/]+)$/.exec(pathname);
  if (article)
    return getArticle(get(url), { params: Promise.resolve({ slug: decodeURIComponent(article[1]!) }) });
  const data = /^\/api\/data\/(.+)$/.exec(pathname);
  if (data) {
    const parts = data[1]!.split("/").map(decodeURIComponent);
    return getData(get(url), { params: Promise.resolve({ path: parts }) });
  }
  throw new Error(`no route for ${url}`);
}

describe("/.well-known/x402", () => {
  it("lists every published resource, and each 402 asks exactly what its entry says", async () => {
    const res = await wellKnown(get(`${ORIGIN}/.well-known/x402`));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as DiscoveryDocument;
    expect(doc.resources).toHaveLength(seedArticles.length + seedDataEndpoints.length);
    expect(doc.resources.some((r) => r.free)).toBe(true);
    expect(doc.resources.some((r) => !r.free)).toBe(true);

    for (const entry of doc.resources) {
      expect(entry.url.startsWith(`${ORIGIN}/api/`)).toBe(true);
      expect(entry).toMatchObject({ method: "GET", network: devnet.chainId && `eip155:${devnet.chainId}` });
      expect(Number(entry.price.usd) * 1e6).toBeCloseTo(Number(entry.price.amount));
      expect(Date.parse(entry.lastModified)).not.toBeNaN();
      const answer = await request(entry.url);
      if (entry.free) {
        expect(answer.status, entry.url).toBe(200);
        continue;
      }
      expect(answer.status, entry.url).toBe(402);
      const required = decodePaymentRequiredHeader(answer.headers.get("payment-required")!);
      expect(required.x402Version).toBe(2);
      expect(required.resource).toMatchObject({
        url: entry.url,
        description: entry.description,
        mimeType: entry.mimeType,
        serviceName: "Kiosk",
        tags: entry.tags,
      });
      expect(required.accepts).toHaveLength(1);
      expect(required.accepts[0]).toMatchObject({
        scheme: entry.scheme,
        network: entry.network,
        asset: entry.asset,
        amount: entry.price.amount,
        payTo: entry.payTo,
      });
      const bazaar = required.extensions?.bazaar as DiscoveryExtension | undefined;
      expect(bazaar, entry.url).toBeDefined();
      expect(validateDiscoveryExtension(bazaar!)).toEqual({ valid: true });
      expect(bazaar!.info.input).toMatchObject({ type: "http", method: "GET" });
    }
  });

  it("answers the same document at /.well-known/x402.json", async () => {
    const a = await (await wellKnown(get(`${ORIGIN}/.well-known/x402`))).json();
    const b = await (await wellKnownJson(get(`${ORIGIN}/.well-known/x402.json`))).json();
    expect(b).toEqual(a);
  });
});
