// A promotion, end to end on the production stack: a publisher signs in to the studio, publishes an
// article at $0.07 with a promotional price of $0.03 running now, a reader in another browser sees
// $0.03 beside the regular price struck through, unlocks it through the paywall and pays exactly
// $0.03; when the publisher ends the promotion, the 402 asks the regular price again.
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { expect, test, usdcBalance } from "./fixtures";
import { freshFundedReader } from "./fixtures/funding";
import { testWalletOption } from "./fixtures/paywall";
import { signInToStudio } from "./fixtures/studio";
import { injectTestWallet } from "./fixtures/wallet";

const SECRET = "Only readers who paid the launch price can read this sentence.";

test.describe("a publisher's promotion", () => {
  test.use({ walletAccount: { role: "publisher" } });

  test("runs in the studio, a reader pays the promotional price, and ending it restores the regular one", async ({
    page,
    wallet,
    devnet,
    browser,
  }) => {
    test.setTimeout(120_000);
    void wallet; // injected before the first navigation
    await signInToStudio(page);

    const slug = `promo-e2e-${Date.now().toString(36)}`;
    await page.getByTestId("new-article").click();
    await page.getByLabel("Title").fill("A Launch Week Special");
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Price (USD, paid in USDC)").fill("0.07");
    await page.getByLabel("Access after one payment").selectOption("7d");
    await page.getByLabel("Body (Markdown)").fill(`The launch opens with a teaser.\n\n${SECRET}`);
    // A promotional price not below the regular one is refused with the reason.
    await page.getByLabel(/Run a promotional price/).check();
    await page.getByLabel("Promotional price (USD)").fill("0.07");
    await page.getByTestId("article-save").click();
    await expect(page.getByTestId("studio-error")).toHaveText(
      "A promotional price must be lower than the regular price ($0.07).",
    );
    // Starting now and ending in a week (the form's default), at $0.03.
    await page.getByLabel("Promotional price (USD)").fill("0.03");
    await page.getByTestId("article-save").click();
    await expect(page).toHaveURL(/\/studio\/articles\/\d+$/);
    await page.getByTestId("article-publish").click();
    await expect(page.getByTestId("studio-success")).toHaveText("Published: the article is live.");

    // A reader in a fresh browser with a wallet of its own.
    const readerAccount = await freshFundedReader(devnet, 1_000_000n);
    const context = await browser.newContext();
    const readerWallet = await injectTestWallet(context, devnet, readerAccount);
    const reader = await context.newPage();
    await reader.goto(`/articles/${slug}`);
    await expect(reader.getByTestId("article-price")).toHaveText("$0.03");
    await expect(reader.getByTestId("regular-price").first()).toHaveText("regular price $0.07");
    await expect(reader.getByTestId("locked-panel").getByRole("heading")).toHaveText(
      "Keep reading for $0.03 regular price $0.07",
    );
    await expect(reader.getByTestId("article-body")).toHaveCount(0);

    await reader.getByTestId("unlock-button").click();
    await testWalletOption(reader).click();
    await expect(reader.getByTestId("paywall-offer")).toHaveText("$0.03 · read for 7 days");
    await reader.getByTestId("paywall-confirm").click();
    await expect(reader.getByTestId("article-body")).toContainText(SECRET, { timeout: 20_000 });
    expect(readerWallet.prompts.filter((p) => p.kind === "signature")).toHaveLength(1);
    expect(await usdcBalance(devnet, readerAccount.address)).toBe(1_000_000n - 30_000n);
    await context.close();

    // The publisher ends it: the next 402 asks $0.07, with no regular price beside it.
    await page.getByLabel(/Run a promotional price/).uncheck();
    await page.getByTestId("article-save").click();
    await expect(page.getByTestId("studio-success")).toHaveText("Saved.");
    const unpaid = await page.request.get(`/api/articles/${slug}`);
    expect(unpaid.status()).toBe(402);
    const required = decodePaymentRequiredHeader(unpaid.headers()["payment-required"]!);
    expect(required.accepts[0]!.amount).toBe("70000");
    const body = (await unpaid.json()) as { price: Record<string, unknown> };
    expect(body.price).toMatchObject({ amount: "70000", display: "$0.07" });
    expect(body.price).not.toHaveProperty("regular");
  });
});
