// /llms.txt and /llms-full.txt from their route handlers on a real PGlite seeded by the real
// seed: every published item is listed under the API URL its 402 names, with its price; the
// free articles' text is in llms-full.txt, and no priced article's body is in either document.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatPrice } from "@/lib/content/money";
import { seedArticles, seedDataEndpoints, seedFreeArticles, seedPricedArticles } from "@/lib/db/seed-content";
import { getDb } from "@/lib/db";
import { seed } from "@/lib/db/seed";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";
import { GET as llmsFull } from "./llms-full.txt/route";
import { GET as llms } from "./llms.txt/route";

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-llms-"));
const devnet = fakeDevnet();
const ORIGIN = "http://127.0.0.1:3200";
const get = (p: string) => new Request(ORIGIN + p, { headers: { host: new URL(ORIGIN).host } });

beforeAll(async () => {
  process.env.KIOSK_DATA_DIR = dataDir;
  delete process.env.PUBLIC_URL;
  delete process.env.DATABASE_URL;
  writeDevnet(dataDir, devnet);
  await seed(await getDb(), devnet);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function text(route: (req: Request) => Promise<Response>, p: string): Promise<string> {
  const res = await route(get(p));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  return res.text();
}

describe("/llms.txt", () => {
  it("says what the site is and how to pay, and lists every item under its API URL with its price", async () => {
    const doc = await text(llms, "/llms.txt");
    expect(doc.startsWith("# Kiosk\n\n> ")).toBe(true);
    expect(doc).toContain("## How to pay");
    expect(doc).toContain("PAYMENT-REQUIRED");
    expect(doc).toContain("PAYMENT-SIGNATURE");
    expect(doc).toContain("refuses a payment above $1");
    expect(doc).toContain(`(${ORIGIN}/.well-known/x402)`);
    expect(doc).toContain(`(${ORIGIN}/mcp)`);
    expect(doc).toContain("Accept: text/markdown");
    expect(doc).toContain(`eip155:${devnet.chainId}`);
    for (const a of seedArticles) {
      expect(doc).toMatch(
        new RegExp(
          `\\]\\(${ORIGIN}/api/articles/${a.slug}\\): ${formatPrice(a.priceAtomic).replace("$", "\\$")}`,
          "i",
        ),
      );
    }
    for (const d of seedDataEndpoints) expect(doc).toContain(`(${ORIGIN}/api/data/${d.path})`);
    for (const a of seedArticles) expect(doc).not.toContain(a.secretSentence);
  });
});

describe("/llms-full.txt", () => {
  it("has every free article in full and every priced one's teaser, never a priced body", async () => {
    const doc = await text(llmsFull, "/llms-full.txt");
    expect(doc).toContain("# The free text");
    for (const a of seedFreeArticles) expect(doc).toContain(a.secretSentence);
    for (const a of seedPricedArticles) {
      expect(doc).toContain(a.teaser.replace(/\s+/g, " ").trim().slice(0, 60));
      expect(doc).not.toContain(a.secretSentence);
    }
  });
});
