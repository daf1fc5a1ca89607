// The reader's story in Chromium against the production stack: a locked article, Unlock,
// RainbowKit, the injected wallet signs, the server settles on anvil, the page shows the body from
// the receipt cookie. Balances are read from the chain: a payment is only real if they moved.
// Readers #4 and #5 and the unfunded account are used by no other spec, so their balances are ours
// (#6 and #8 pay in studio.spec.ts and api.spec.ts; workers default to #0/#1).
import { createPublicClient, http, type Address } from "viem";
import { expect, test, usdcBalance, usdcBalances } from "./fixtures";
import { seedArticle, testWalletOption, unlockAndConnect } from "./fixtures/paywall";

const longWait = seedArticle("the-long-wait-for-402"); // $0.05, 30 days
const tides = seedArticle("reading-the-tide-tables"); // $0.03, 24 hours
const clocks = seedArticle("clocks-that-disagree"); // $0.08, forever
const plumbing = seedArticle("plumbing-of-a-digital-dollar"); // $0.50, 30 days
const marginal = seedArticle("in-praise-of-the-marginal-note"); // $0.01, forever

test.describe("a funded reader", () => {
  test.use({ walletAccount: { role: "reader", index: 5 } });

  test("unlocks an article: teaser → Unlock → RainbowKit → confirm → sign → body; the receipt holds", async ({
    page,
    wallet,
    devnet,
    browser,
  }, testInfo) => {
    const before = await usdcBalances(devnet, { reader: wallet.address, publisher: devnet.payTo });

    await page.goto(`/articles/${longWait.slug}`);
    await expect(page.getByTestId("article-teaser")).toHaveText(longWait.teaser);
    await expect(page.getByTestId("locked-panel")).toBeVisible();
    await expect(page.getByTestId("article-body")).toHaveCount(0);

    await page.getByTestId("unlock-button").click();
    await expect(page.getByRole("dialog")).toBeVisible(); // RainbowKit's connect modal
    await testWalletOption(page).click();
    await expect(page.getByTestId("paywall-offer")).toHaveText("$0.05 · read for 30 days");
    // An impatient double click: still one signature, one payment (checked below).
    await page.getByTestId("paywall-confirm").dblclick();

    await expect(page.getByTestId("article-body")).toContainText(longWait.secretSentence, {
      timeout: 20_000,
    });
    await expect(page.getByTestId("locked-panel")).toHaveCount(0);
    expect(wallet.prompts.filter((p) => p.kind === "signature")).toHaveLength(1);
    await testInfo.attach("unlocked-article", {
      body: await page.screenshot({ fullPage: true }),
      contentType: "image/png",
    });
    await page.screenshot({ path: testInfo.outputPath("unlocked-article.png"), fullPage: true });

    const after = await usdcBalances(devnet, { reader: wallet.address, publisher: devnet.payTo });
    expect(after.reader).toBe(before.reader - longWait.priceAtomic);
    // Other workers pay the same publisher meanwhile, so only a lower bound holds for it.
    expect(after.publisher).toBeGreaterThanOrEqual(before.publisher + longWait.priceAtomic);

    // Reload: the server renders the body from the cookie; no wallet, no payment.
    await page.reload();
    await expect(page.getByTestId("article-body")).toContainText(longWait.secretSentence);
    await expect(page.getByTestId("unlock-button")).toHaveCount(0);

    // The receipt opens this article only.
    await page.goto(`/articles/${clocks.slug}`);
    await expect(page.getByTestId("locked-panel")).toBeVisible();
    await expect(page.getByTestId("article-body")).toHaveCount(0);

    // A browser without the cookie sees the teaser again.
    const stranger = await browser.newContext();
    try {
      const other = await stranger.newPage();
      await other.goto(`/articles/${longWait.slug}`);
      await expect(other.getByTestId("locked-panel")).toBeVisible();
      expect(await other.content()).not.toContain(longWait.secretSentence);
    } finally {
      await stranger.close();
    }
    expect(await usdcBalance(devnet, wallet.address)).toBe(after.reader);
  });

  test("a rejected signature is reported, charges nothing, and can be retried", async ({
    page,
    wallet,
    devnet,
  }) => {
    const before = await usdcBalance(devnet, wallet.address);
    await page.goto(`/articles/${tides.slug}`);
    await unlockAndConnect(page);

    wallet.rejectNext("signature");
    await page.getByTestId("paywall-confirm").click();
    await expect(page.getByTestId("paywall-error")).toContainText("Signature rejected");
    await expect(page.getByTestId("paywall-status")).toContainText("Nothing was charged");
    await expect(page.getByTestId("paywall-alert")).toHaveAttribute("role", "alert"); // read out at once
    await expect(page.getByTestId("paywall-alert")).toContainText("Signature rejected");
    expect(await usdcBalance(devnet, wallet.address)).toBe(before);
    await expect(page.getByTestId("article-body")).toHaveCount(0);

    // The way forward works: try again, sign, read.
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByTestId("paywall-confirm").click();
    await expect(page.getByTestId("article-body")).toContainText(tides.secretSentence, { timeout: 20_000 });
    expect(await usdcBalance(devnet, wallet.address)).toBe(before - tides.priceAtomic);
    expect(wallet.prompts.filter((p) => p.kind === "signature").map((p) => p.approved)).toEqual([
      false,
      true,
    ]);
  });

  test("a wallet that cannot sign typed data is told so, charged nothing, and offered the transfer", async ({
    page,
    wallet,
    devnet,
  }) => {
    const before = await usdcBalance(devnet, wallet.address);
    await page.goto(`/articles/${plumbing.slug}`);
    await unlockAndConnect(page);

    wallet.lacks("eth_signTypedData_v4");
    await page.getByTestId("paywall-confirm").click();
    await expect(page.getByTestId("paywall-error")).toContainText("This wallet cannot sign the payment");
    await expect(page.getByTestId("paywall-status")).toContainText("Nothing was charged");
    expect(wallet.requests.filter((r) => r.method === "eth_signTypedData_v4").map((r) => r.outcome)).toEqual([
      4200,
    ]);
    expect(await usdcBalance(devnet, wallet.address)).toBe(before);
    await expect(page.getByTestId("article-body")).toHaveCount(0);
    await page.getByRole("button", { name: "Pay with a transfer instead" }).click();
    await expect(page.getByRole("button", { name: "Pay with a transfer instead" })).toHaveCount(0);
  });

  test("a wallet on another network is asked to switch; a refusal is explained, and switching fixes it", async ({
    page,
    wallet,
    devnet,
  }) => {
    await page.goto(`/articles/${marginal.slug}`);
    await unlockAndConnect(page);

    // The reader moves the wallet to another chain (Base Sepolia's id, served by the same anvil)…
    const other = "0x14a34";
    await wallet.handle("wallet_addEthereumChain", [
      { chainId: other, chainName: "Elsewhere", rpcUrls: [devnet.rpcUrl] },
    ]);
    expect(wallet.chainId).toBe(0x14a34);
    // …and refuses the page's request to switch back.
    wallet.rejectNext("switch-chain");
    await page.evaluate(
      (id) =>
        (
          window as unknown as { __kioskTestWallet: { emit(e: string, p: unknown): void } }
        ).__kioskTestWallet.emit("chainChanged", id),
      other,
    );

    await expect(page.getByTestId("paywall-error")).toContainText("Wrong network");
    await expect(page.getByTestId("paywall-status")).toContainText("Nothing was charged");
    await expect(page.getByTestId("paywall-confirm")).toHaveCount(0); // no signing for the wrong chain

    await page.getByRole("button", { name: /^Switch to / }).click();
    await page.getByTestId("paywall-confirm").click();
    await expect(page.getByTestId("article-body")).toContainText(marginal.secretSentence, {
      timeout: 20_000,
    });
    expect(wallet.chainId).toBe(devnet.chainId);
    expect(
      wallet.requests.filter((r) => r.method === "wallet_switchEthereumChain").map((r) => r.outcome),
    ).toEqual([4001, "ok"]);
  });
});

test.describe("a reader without USDC", () => {
  test.use({ walletAccount: { role: "unfunded" } });

  test('is told "not enough USDC", with the balance and where to get test USDC; no transaction', async ({
    page,
    wallet,
    devnet,
  }) => {
    const chain = createPublicClient({ transport: http(devnet.rpcUrl, { retryCount: 0 }) });
    const nonce = () => chain.getTransactionCount({ address: wallet.address as Address });
    const before = { usdc: await usdcBalance(devnet, wallet.address), nonce: await nonce() };
    expect(before.usdc).toBeLessThan(plumbing.priceAtomic);

    await page.goto(`/articles/${plumbing.slug}`);
    await unlockAndConnect(page);
    await page.getByTestId("paywall-confirm").click();

    const status = page.getByTestId("paywall-status");
    await expect(page.getByTestId("paywall-error")).toContainText("Not enough USDC");
    await expect(status).toContainText(/holds \d+\.\d{2,} USDC/);
    await expect(status).toContainText("Dev wallet");
    await expect(status).toContainText("Nothing was charged");
    await expect(page.getByRole("button", { name: "Use another wallet" })).toBeVisible();

    // Nothing was asked of the wallet and nothing reached the chain. (Another spec may *send*
    // this account a little USDC meanwhile, so its balance can only have grown.)
    expect(wallet.prompts.filter((p) => p.kind !== "connect")).toEqual([]);
    expect(await nonce()).toBe(before.nonce);
    expect(await usdcBalance(devnet, wallet.address)).toBeGreaterThanOrEqual(before.usdc);
    await expect(page.getByTestId("article-body")).toHaveCount(0);
  });
});

test.describe("two tabs", () => {
  test.use({ walletAccount: { role: "reader", index: 4 } });

  test("unlocking the same article at once settles exactly one payment; both show the body", async ({
    context,
    wallet,
    devnet,
  }) => {
    const before = await usdcBalance(devnet, wallet.address);
    const tabs = [await context.newPage(), await context.newPage()];
    // A third tab stays open on the locked page while the other two pay.
    const idle = await context.newPage();
    await idle.goto(`/articles/${clocks.slug}`);
    const access: string[] = [];
    for (const tab of tabs) {
      tab.on("response", (r) => {
        if (r.url().endsWith(`/api/articles/${clocks.slug}`) && r.request().headers()["payment-signature"]) {
          access.push(r.headers()["x-kiosk-access"] ?? String(r.status()));
        }
      });
      await tab.goto(`/articles/${clocks.slug}`);
    }
    // Both tabs open the paywall; each connects (the second may find the wallet already connected).
    for (const tab of tabs) {
      await tab.getByTestId("unlock-button").click();
      const confirm = tab.getByTestId("paywall-confirm");
      await expect(testWalletOption(tab).or(confirm)).toBeVisible();
      if (await testWalletOption(tab).isVisible()) await testWalletOption(tab).click();
      await expect(confirm).toBeVisible();
    }
    // Both confirm in the same instant.
    await Promise.all(tabs.map((tab) => tab.getByTestId("paywall-confirm").click()));

    for (const tab of tabs) {
      await expect(tab.getByTestId("article-body")).toContainText(clocks.secretSentence, { timeout: 30_000 });
    }
    expect(await usdcBalance(devnet, wallet.address)).toBe(before - clocks.priceAtomic);
    // One tab paid; the other was given the purchase it made (or read its receipt) without a charge.
    expect(access.filter((a) => a === "paid")).toHaveLength(1);

    // "Already unlocked in another tab": Unlock in the stale tab just shows the article.
    const prompts = wallet.prompts.length;
    await idle.getByTestId("unlock-button").click();
    await expect(idle.getByTestId("article-body")).toContainText(clocks.secretSentence);
    expect(wallet.prompts).toHaveLength(prompts);
    expect(await usdcBalance(devnet, wallet.address)).toBe(before - clocks.priceAtomic);
  });
});

test("the paywall's Dev wallet is offered on the local chain", async ({ page }) => {
  await page.goto(`/articles/${longWait.slug}`);
  await page.getByTestId("unlock-button").click();
  await expect(page.getByRole("dialog").getByText("Dev wallet")).toBeVisible();
});
