// The signed receipt in Chromium: a reader unlocks an article, downloads the receipt from the
// article page (its receipt cookie proves the purchase), and the file verifies against the site's
// /.well-known/jwks.json and names that purchase. A browser without the cookie gets 401.
// No balance is asserted: the worker's wallet may have bought this article in another spec, in
// which case the unlock restores it and the receipt names that earlier purchase.
import { readFileSync } from "node:fs";
import { verifyReceiptFile } from "../lib/receipts/signed-receipt";
import { expect, test } from "./fixtures";
import { seedArticle, unlockAndConnect } from "./fixtures/paywall";

const article = seedArticle("reading-the-tide-tables");

test("a reader downloads the signed receipt of a purchase, and it verifies against the published keys", async ({
  page,
  wallet,
  browser,
  baseURL,
}) => {
  await page.goto(`/articles/${article.slug}`);
  await unlockAndConnect(page);
  await page.getByTestId("paywall-confirm").click();
  await expect(page.getByTestId("article-body")).toContainText(article.secretSentence, { timeout: 20_000 });

  await page.reload();
  const link = page.getByTestId("receipt-download");
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^kiosk-receipt-0x[0-9a-f]{10}\.json$/);
  const file = JSON.parse(readFileSync((await download.path())!, "utf8"));

  const jwks = await (await page.request.get("/.well-known/jwks.json")).json();
  const verified = await verifyReceiptFile(file, jwks);
  expect(verified.kind).toBe("valid");
  expect(file.receipt).toMatchObject({
    site: baseURL,
    resource: { key: `article:${article.slug}`, title: article.title },
    payer: wallet.address.toLowerCase(),
    network: "eip155:31337",
  });
  expect(file.receipt.transaction).toMatch(/^0x[0-9a-f]{64}$/);

  // Without the page's cookie there is nothing to download.
  const stranger = await browser.newContext();
  try {
    const res = await stranger.request.get(`${baseURL}/articles/${article.slug}/receipt`);
    expect(res.status()).toBe(401);
  } finally {
    await stranger.close();
  }
});
