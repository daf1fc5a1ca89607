// axe-core (WCAG 2.1 A and AA) on the pages around the paywall: the home page, a free and a locked
// article, /library signed out, empty and with a purchase, and every studio page. The paywall's own
// states (and the keyboard-only purchase) are in a11y-paywall.spec.ts. Each scan waits for the page
// to be finished (hydrated, its data shown), since a scan of half a page proves little.
import { privateKeyToAccount } from "viem/accounts";
import { createPayingFetch } from "../components/wallet/x402-signer";
import { seedFreeArticles } from "../lib/db/seed-content";
import { expect, test } from "./fixtures";
import { expectNoSeriousViolations } from "./fixtures/axe";
import { freshFundedReader } from "./fixtures/funding";
import { seedArticle, testWalletOption } from "./fixtures/paywall";
import { injectTestWallet } from "./fixtures/wallet";
import { signInToStudio } from "./fixtures/studio";

const free = seedFreeArticles[0]!;
const tides = seedArticle("reading-the-tide-tables"); // $0.03

test("the home page, a free article and a locked one have no serious axe violations", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page, testInfo, "the home page");

  await page.goto(`/articles/${free.slug}`);
  await expect(page.getByTestId("article-body")).toBeVisible();
  await expectNoSeriousViolations(page, testInfo, "a free article");

  await page.goto(`/articles/${tides.slug}`);
  await expect(page.getByTestId("unlock-button")).toBeEnabled(); // hydrated
  await expectNoSeriousViolations(page, testInfo, "a locked article");
});

test("/library signed out, signed in with nothing bought, and with a purchase has no serious axe violations", async ({
  browser,
  devnet,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const reader = await freshFundedReader(devnet, 1_000_000n);
  const context = await browser.newContext();
  try {
    await injectTestWallet(context, devnet, reader);
    const page = await context.newPage();
    await page.goto("/library");
    await expect(page.getByTestId("restore-button")).toBeEnabled();
    await expectNoSeriousViolations(page, testInfo, "/library signed out");

    await page.getByTestId("restore-button").click();
    await page.getByTestId("rk-connect-button").click();
    await testWalletOption(page).click();
    await expect(page.getByTestId("reader-sign-in")).toBeVisible();
    await expectNoSeriousViolations(page, testInfo, "/library, the sign-in step");
    await page.getByTestId("reader-sign-in").click();
    await expect(page.getByTestId("library-empty")).toBeVisible({ timeout: 20_000 });
    await expectNoSeriousViolations(page, testInfo, "/library signed in, nothing bought");

    // The purchase itself is not the subject here: the official x402 client pays from Node.
    const pay = createPayingFetch({
      signer: privateKeyToAccount(reader.privateKey as `0x${string}`),
      network: `eip155:${devnet.chainId}`,
      asset: devnet.usdc as `0x${string}`,
      maxAmount: tides.priceAtomic.toString(),
    });
    expect((await pay(`${baseURL}/api/articles/${tides.slug}`)).status).toBe(200);
    await page.reload();
    await expect(page.getByTestId("library-item")).toHaveCount(1);
    await expectNoSeriousViolations(page, testInfo, "/library with a purchase");
  } finally {
    await context.close();
  }
});

test.describe("the studio", () => {
  test.use({ walletAccount: { role: "publisher" } });

  test("sign-in, dashboard, editors, sales and profile have no serious axe violations", async ({
    page,
    wallet,
  }, testInfo) => {
    test.setTimeout(240_000); // nine pages, each scanned; 90 s seen on a busy machine
    void wallet; // injected before the first navigation
    await page.goto("/studio");
    await expect(page.getByTestId("rk-connect-button")).toBeEnabled();
    await expectNoSeriousViolations(page, testInfo, "studio sign-in");

    await signInToStudio(page);
    await expect(page.getByTestId("studio-article-row").first()).toBeVisible();
    await expectNoSeriousViolations(page, testInfo, "studio dashboard");

    const articleHref = await page
      .getByTestId("studio-article-row")
      .first()
      .getByRole("link")
      .first()
      .getAttribute("href");
    const endpointHref = await page
      .getByTestId("studio-endpoint-row")
      .first()
      .getByRole("link")
      .first()
      .getAttribute("href");

    const pages: [string, string, string][] = [
      ["the article editor", articleHref!, "article-editor"],
      ["a new article", "/studio/articles/new", "article-editor"],
      ["the endpoint editor", endpointHref!, "endpoint-editor"],
      ["a new endpoint", "/studio/endpoints/new", "endpoint-editor"],
      ["the sales page", "/studio/sales", "sales-report"],
      ["an article's sales", `${articleHref!}/sales`, "sales-title"],
      ["the profile", "/studio/profile", "profile-form"],
    ];
    for (const [where, href, ready] of pages) {
      await page.goto(href);
      await expect(page.getByTestId(ready)).toBeVisible();
      await expectNoSeriousViolations(page, testInfo, where);
    }

    // The editor's preview tab shows the article as readers will see it.
    await page.goto(articleHref!);
    await page.getByTestId("article-tab-preview").click();
    await expect(page.getByTestId("article-preview")).toBeVisible();
    await expectNoSeriousViolations(page, testInfo, "the article editor's preview");
  });
});
