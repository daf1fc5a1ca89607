// Receipt cookies in a real browser: scoped by path, so a reader with many purchases sends one
// small cookie per request, and a receipt opens only its own article.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { seedArticles } from "../lib/db/seed-content";
import { issueReceipt, receiptAudience } from "../lib/verify";
import { E2E_BASE_URL, E2E_DATA_DIR } from "./fixtures/stack";

const secrets = () => ({
  current: new TextEncoder().encode(readFileSync(path.join(E2E_DATA_DIR, "receipt-secret"), "utf8").trim()),
  previous: null,
  // The e2e server has no PUBLIC_URL: its receipts name the local network only.
  audience: receiptAudience("eip155:31337", null),
});
const payer = "0x" + "ab".repeat(20);

test("150 purchases: each page request carries one receipt, well under 16 KB of headers", async ({
  browser,
}) => {
  const article = seedArticles.find((a) => a.slug === "in-praise-of-the-marginal-note")!;
  const other = seedArticles.find((a) => a.slug === "clocks-that-disagree")!;
  const host = new URL(E2E_BASE_URL).hostname;
  const cookie = async (slug: string) => {
    const value = await issueReceipt(
      { sub: payer, res: `article:${slug}`, amt: "10000", net: "eip155:31337" },
      null,
      secrets(),
    );
    return ["/articles/", "/api/articles/"].map((prefix) => ({
      name: "kiosk_receipt",
      value,
      domain: host,
      path: prefix + slug,
      httpOnly: true,
      sameSite: "Lax" as const,
    }));
  };
  const context = await browser.newContext();
  // Chrome keeps at most 180 cookies per site; 74 other purchases × 2 paths + this one stays below.
  const cookies = (await Promise.all(Array.from({ length: 74 }, (_, i) => cookie(`bought-${i}`)))).flat();
  await context.addCookies([...cookies, ...(await cookie(article.slug))]);

  const page = await context.newPage();
  const sent: string[] = [];
  page.on("request", async (r) => {
    if (r.url().includes(`/articles/${article.slug}`)) sent.push((await r.allHeaders())["cookie"] ?? "");
  });
  await page.goto(`/articles/${article.slug}`);
  await expect(page.getByTestId("article-body")).toContainText(article.secretSentence);
  expect(sent.length).toBeGreaterThan(0);
  for (const header of sent) {
    expect(header.match(/kiosk_receipt=/g)?.length ?? 0).toBe(1);
    expect(header.length).toBeLessThan(2_048);
  }

  // The same browser, another article it has not bought: locked, body absent from the HTML.
  const response = await page.goto(`/articles/${other.slug}`);
  expect(await response!.text()).not.toContain(other.secretSentence);
  await expect(page.getByTestId("locked-panel")).toBeVisible();
  await context.close();
});
