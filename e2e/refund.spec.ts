// A refund, end to end on the production stack: a publisher publishes an article, a reader with a
// wallet of its own (funded for this test alone, so its balance is checked exactly) pays for it
// through the paywall, the publisher refunds the sale from the studio's sales with the injected
// wallet (a plain USDC transfer back, checked on chain by Kiosk), and the reader's article locks
// again with every atomic unit back.
import { expect, test, usdcBalance } from "./fixtures";
import { freshFundedReader } from "./fixtures/funding";
import { testWalletOption } from "./fixtures/paywall";
import { signInToStudio } from "./fixtures/studio";
import { injectTestWallet } from "./fixtures/wallet";

const SECRET = "Only a reader who paid, and was not refunded, can read this sentence.";
const START = 1_000_000n;
const PRICE = 50_000n;

test.describe("a publisher's refund", () => {
  test.use({ walletAccount: { role: "publisher" } });

  test("refunds a sale from the studio: the money goes back and the reader's article locks again", async ({
    page,
    wallet,
    devnet,
    browser,
  }) => {
    test.setTimeout(180_000);
    await signInToStudio(page);
    const slug = `refund-e2e-${Date.now().toString(36)}`;
    await page.getByTestId("new-article").click();
    await page.getByLabel("Title").fill("An Article Worth Refunding");
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Price (USD, paid in USDC)").fill("0.05");
    await page.getByLabel("Access after one payment").selectOption("7d");
    await page.getByLabel("Body (Markdown)").fill(`A teaser for everyone.\n\n${SECRET}`);
    await page.getByTestId("article-save").click();
    await expect(page).toHaveURL(/\/studio\/articles\/\d+$/);
    await page.getByTestId("article-publish").click();
    await expect(page.getByTestId("studio-success")).toHaveText("Published: the article is live.");

    // The reader pays through the paywall in a browser of its own.
    const readerAccount = await freshFundedReader(devnet, START);
    const context = await browser.newContext();
    await injectTestWallet(context, devnet, readerAccount);
    const reader = await context.newPage();
    await reader.goto(`/articles/${slug}`);
    await reader.getByTestId("unlock-button").click();
    await testWalletOption(reader).click();
    await reader.getByTestId("paywall-confirm").click();
    await expect(reader.getByTestId("article-body")).toContainText(SECRET, { timeout: 30_000 });
    expect(await usdcBalance(devnet, readerAccount.address)).toBe(START - PRICE);

    // The publisher finds the sale and refunds it with the connected wallet.
    await page.goto("/studio/sales");
    const row = page.locator(`[data-testid="sale-row"][data-payer="${readerAccount.address.toLowerCase()}"]`);
    await expect(row).toHaveCount(1);
    await row.getByTestId("sale-refund").click();
    const send = row.getByTestId("refund-send");
    const connect = row.getByTestId("rk-connect-button");
    // The studio's wallet may still be reconnecting when the refund leaf mounts: the Connect
    // button can show and then give way to Send by itself. Connect only while it is asked for.
    await expect(async () => {
      if (await send.isVisible()) return;
      if (await connect.isVisible()) {
        await connect.click({ timeout: 2_000 });
        await page
          .locator('[data-testid^="rk-wallet-option-"]')
          .filter({ hasText: /Kiosk Test Wallet|Browser Wallet/ })
          .first()
          .click({ timeout: 5_000 });
      }
      await expect(send).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    // A dialog opened just as the reconnect finished would cover Send.
    if (await page.getByRole("dialog").isVisible()) await page.keyboard.press("Escape");
    const sent = wallet.requests.length;
    await send.click();
    await expect(row.getByTestId("sale-refunded")).toBeVisible({ timeout: 60_000 });
    // One transaction, whatever the page did meanwhile.
    expect(wallet.requests.slice(sent).filter((r) => r.method === "eth_sendTransaction")).toHaveLength(1);
    await expect(page.getByTestId("sales-refunds")).not.toHaveText("0");

    // Every atomic unit is back, and the receipt cookie the reader holds opens nothing any more.
    expect(await usdcBalance(devnet, readerAccount.address)).toBe(START);
    await expect(async () => {
      await reader.reload();
      await expect(reader.getByTestId("locked-panel")).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await expect(reader.getByTestId("article-body")).toHaveCount(0);
    expect(await reader.content()).not.toContain(SECRET);
    const api = await reader.request.get(`/api/articles/${slug}`);
    expect(api.status()).toBe(402);
    await context.close();
  });
});
