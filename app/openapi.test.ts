// /openapi.json from its route handler on a real PGlite seeded by the real seed: a valid OpenAPI
// 3.1 document by @seriousme/openapi-schema-validator (the specification's own JSON Schema), with
// one operation per published item at the URL the discovery document names; each priced one
// carries x-payment-info with the exact terms of the 402 its route answers (decoded with
// @x402/core), the 402 and 409 answers and the receipt Bearer scheme; free ones carry none.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiscoveryDocument } from "@/lib/content/discovery";
import { seedArticles, seedDataEndpoints } from "@/lib/db/seed-content";
import { getDb } from "@/lib/db";
import { seed } from "@/lib/db/seed";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";
import { GET as wellKnown } from "./.well-known/x402/route";
import { GET as getArticle } from "./api/articles/[slug]/route";
import { GET as getData } from "./api/data/[...path]/route";
import { GET as openapi } from "./openapi.json/route";

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-openapi-"));
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

type Operation = {
  operationId: string;
  "x-payment-info"?: {
    price: { mode: string; currency: string; amount: string };
    protocols: { x402: Record<string, unknown> }[];
  };
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
};
type Doc = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, { get: Operation }>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
};

async function document(): Promise<Doc> {
  const res = await openapi(get(`${ORIGIN}/openapi.json`));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json");
  return (await res.json()) as Doc;
}

function call(url: string): Promise<Response> {
  const { pathname } = new URL(url);
  const article = /^\/api\/articles\/([^/]+)$/.exec(pathname);
  if (article)
    return getArticle(get(url), { params: Promise.resolve({ slug: decodeURIComponent(article[1]!) }) });
  const parts = pathname
    .replace(/^\/api\/data\//, "")
    .split("/")
    .map(decodeURIComponent);
  return getData(get(url), { params: Promise.resolve({ path: parts }) });
}

describe("/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator does refuse a broken one: a document without its info object.
    const broken: Record<string, unknown> = structuredClone(doc);
    delete broken.info;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("describes every published item, and each priced one's x-payment-info is what its 402 asks", async () => {
    const doc = await document();
    expect(doc.servers).toEqual([{ url: ORIGIN }]);
    expect(doc.components.securitySchemes.receipt).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/api/articles"]?.get.operationId).toBe("listArticles");
    expect(doc.paths["/api/data"]?.get.operationId).toBe("listData");
    const discovery = (await (
      await wellKnown(get(`${ORIGIN}/.well-known/x402`))
    ).json()) as DiscoveryDocument;
    expect(discovery.resources).toHaveLength(seedArticles.length + seedDataEndpoints.length);

    for (const entry of discovery.resources) {
      const op = doc.paths[new URL(entry.url).pathname]?.get;
      expect(op, entry.url).toBeDefined();
      if (entry.free) {
        expect(op!["x-payment-info"], entry.url).toBeUndefined();
        expect(op!.responses["402"], entry.url).toBeUndefined();
        continue;
      }
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(["200", "402", "409"]));
      expect(op!.security).toContainEqual({ receipt: [] });
      const info = op!["x-payment-info"]!;
      expect(info.price).toEqual({ mode: "fixed", currency: "USD", amount: entry.price.usd });
      const required = decodePaymentRequiredHeader((await call(entry.url)).headers.get("payment-required")!);
      const [accepted] = required.accepts;
      expect(info.protocols).toEqual([
        {
          x402: {
            version: required.x402Version,
            scheme: accepted!.scheme,
            network: accepted!.network,
            asset: accepted!.asset,
            amount: accepted!.amount,
            payTo: accepted!.payTo,
            maxTimeoutSeconds: accepted!.maxTimeoutSeconds,
          },
        },
      ]);
    }
    const operationIds = Object.values(doc.paths).map((p) => p.get.operationId);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });
});
