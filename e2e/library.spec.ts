// Restoring purchases in Chromium against the production stack: a wallet buys an article in one
// browser; a fresh browser sees it locked, signs in with one message (no transaction) and the
// article opens with no balance change; /library lists it with the access left; a second wallet
// that signs in sees nothing of the first's. The wallets are fresh keys minted test USDC here, so
// no other spec moves their balances.
import type { BrowserContext, Page } from "@playwright/test";
import { createWalletClient, http, parseAbi, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createPublicClient } from "viem";
import { expect, pickAccount, test, usdcBalance, type Devnet, type DevnetAccount } from "./fixtures";
import { seedArticle, testWalletOption } from "./fixtures/paywall";
import { injectTestWallet } from "./fixtures/wallet";

const tides = seedArticle("reading-the-tide-tables"); // $0.03, 24 hours

function freshAccount(): DevnetAccount {
  const privateKey = generatePrivateKey();
  return { role: "reader", address: privateKeyToAccount(privateKey).address, privateKey };
}

/** Mints test USDC to `to` from the deployer (the token's owner; no other spec sends from it). */
async function fund(devnet: Devnet, to: string, amount: bigint) {
  const deployer = pickAccount(devnet, { role: "deployer" });
  const wallet = createWalletClient({
    account: privateKeyToAccount(deployer.privateKey as Hex),
    transport: http(devnet.rpcUrl),
  });
  const hash = await wallet.writeContract({
    chain: null,
    address: devnet.usdc as Hex,
    abi: parseAbi(["function mint(address to, uint256 amount)"]),
    functionName: "mint",
    args: [to as Hex, amount],
  });
  await createPublicClient({ transport: http(devnet.rpcUrl) }).waitForTransactionReceipt({ hash });
}

async function walletPage(context: BrowserContext, devnet: Devnet, account: DevnetAccount) {
  const wallet = await injectTestWallet(context, devnet, account);
  return { wallet, page: await context.newPage() };
}

/** Restore purchases → connect the injected wallet → sign the one message. */
async function restore(page: Page) {
  await page.getByTestId("restore-button").click();
  await page.getByTestId("rk-connect-button").click();
  await testWalletOption(page).click();
  await page.getByTestId("reader-sign-in").click();
}

test("a purchase restores on a fresh browser by signing in: no payment, and /library lists it with its access left", async ({
  browser,
  devnet,
}) => {
  test.setTimeout(120_000);
  const buyer = freshAccount();
  await fund(devnet, buyer.address, 1_000_000n);

  const first = await browser.newContext();
  try {
    const { page } = await walletPage(first, devnet, buyer);
    await page.goto(`/articles/${tides.slug}`);
    await page.getByTestId("unlock-button").click();
    await testWalletOption(page).click();
    await page.getByTestId("paywall-confirm").click();
    await expect(page.getByTestId("article-body")).toContainText(tides.secretSentence, { timeout: 20_000 });
  } finally {
    await first.close();
  }
  const paid = await usdcBalance(devnet, buyer.address);
  expect(paid).toBe(1_000_000n - tides.priceAtomic);

  const second = await browser.newContext();
  try {
    const { page, wallet } = await walletPage(second, devnet, buyer);
    await page.goto(`/articles/${tides.slug}`);
    await expect(page.getByTestId("locked-panel")).toBeVisible();
    expect(await page.content()).not.toContain(tides.secretSentence);

    await restore(page);
    await expect(page.getByTestId("article-body")).toContainText(tides.secretSentence, { timeout: 20_000 });
    // One message signed; no payment authorization, no transaction.
    expect(wallet.prompts.filter((p) => p.kind === "signature").map((p) => p.method)).toEqual([
      "personal_sign",
    ]);
    expect(wallet.prompts.filter((p) => p.kind === "transaction")).toEqual([]);
    expect(await usdcBalance(devnet, buyer.address)).toBe(paid);

    // The receipt cookie was minted when the article opened (the page's only): a reload needs no lookup.
    const cookies = await second.cookies();
    expect(cookies.filter((c) => c.name === "kiosk_receipt").map((c) => c.path)).toEqual([
      `/articles/${tides.slug}`,
    ]);

    // A re-read: the body from the cookie, and the request's headers stay small.
    const reread = await page.goto(`/articles/${tides.slug}`);
    await expect(page.getByTestId("article-body")).toContainText(tides.secretSentence);
    const headerBytes = (await reread!.request().headersArray()).reduce(
      (n, h) => n + h.name.length + h.value.length + 4,
      0,
    );
    expect(headerBytes).toBeLessThan(4_096);

    await page.goto("/library");
    const items = page.getByTestId("library-item");
    await expect(items).toHaveCount(1);
    await expect(items.first().getByTestId("library-title")).toHaveText(tides.title);
    await expect(items.first().getByTestId("library-price")).toHaveText("$0.03");
    await expect(items.first().getByTestId("library-method")).toHaveText("gasless payment");
    await expect(items.first().getByTestId("library-access")).toHaveText(/^23 hours \d+ minutes? left$/);
    await expect(items.first().getByTestId("library-read")).toHaveAttribute(
      "href",
      `/articles/${tides.slug}`,
    );
    await expect(items.first().getByTestId("library-tx")).toHaveText(/^0x[0-9a-f]{64}$/);
    const receipt = await page.request.get(
      (await items.first().getByTestId("library-receipt").getAttribute("href"))!,
    );
    expect(receipt.status()).toBe(200);
    expect(await usdcBalance(devnet, buyer.address)).toBe(paid);
  } finally {
    await second.close();
  }

  // Another wallet that signs in sees nothing of the first one's.
  const third = await browser.newContext();
  try {
    const { page } = await walletPage(third, devnet, freshAccount());
    await page.goto("/library");
    await restore(page);
    await expect(page.getByTestId("library-empty")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("library-item")).toHaveCount(0);
    await page.goto(`/articles/${tides.slug}`);
    await expect(page.getByTestId("locked-panel")).toBeVisible();
    await expect(page.getByTestId("reader-signed-in")).toBeVisible();
    expect(await page.content()).not.toContain(tides.secretSentence);
  } finally {
    await third.close();
  }
});

test("Restore purchases loads the wallet code only when clicked", async ({ page }) => {
  // wagmi's EIP-6963 discovery: in the wallet chunks, in no first-load script.
  const MARKER = "eip6963:requestProvider";
  const scripts: Promise<string>[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() === "script") scripts.push(res.text().catch(() => ""));
  });
  const loaded = async () => (await Promise.all(scripts)).join("\n");
  await page.goto(`/articles/${tides.slug}`);
  await expect(page.getByTestId("restore-button")).toBeEnabled();
  await page.goto("/library");
  await expect(page.getByTestId("restore-button")).toBeEnabled();
  expect(await loaded()).not.toContain(MARKER);

  await page.getByTestId("restore-button").click();
  await expect(page.getByTestId("rk-connect-button")).toBeVisible();
  expect(await loaded()).toContain(MARKER);
});
