// Restoring purchases in Chromium against the production stack: a wallet buys an article in one
// browser; a fresh browser sees it locked, signs in with one message (no transaction) and the
// article opens with no balance change; /library lists it with the access left; a second wallet
// that signs in sees nothing of the first's. A wallet that owns an article and signs in from the
// paywall is offered "Restore access" instead of a price, on the gasless and the transfer path
// (no payment link or QR code there), and pays nothing; another wallet that signs in sees the
// price. The wallets are fresh keys minted test USDC here, so no other spec moves their balances.
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { createWalletClient, http, parseAbi, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createPublicClient } from "viem";
import { expect, pickAccount, test, usdcBalance, type Devnet, type DevnetAccount } from "./fixtures";
import { seedArticle, testWalletOption, unlockAndConnect } from "./fixtures/paywall";
import { injectTestWallet, type TestWallet } from "./fixtures/wallet";
import { seedFreeArticles, type SeedArticle } from "../lib/db/seed-content";

const tides = seedArticle("reading-the-tide-tables"); // $0.03, 24 hours
const penny = seedArticle("what-a-penny-costs-to-move"); // a week
const PENNY_PRICE = "$0.10";

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

/** `account`, funded with $1, buys `article` in a browser of its own; returns its balance after. */
async function buyInOwnBrowser(
  browser: Browser,
  devnet: Devnet,
  account: DevnetAccount,
  article: SeedArticle,
): Promise<bigint> {
  await fund(devnet, account.address, 1_000_000n);
  const context = await browser.newContext();
  try {
    const { page } = await walletPage(context, devnet, account);
    await page.goto(`/articles/${article.slug}`);
    await unlockAndConnect(page);
    await page.getByTestId("paywall-confirm").click();
    await expect(page.getByTestId("article-body")).toContainText(article.secretSentence, { timeout: 20_000 });
  } finally {
    await context.close();
  }
  const paid = await usdcBalance(devnet, account.address);
  expect(paid).toBe(1_000_000n - article.priceAtomic);
  return paid;
}

/** The wallet was asked for one message signature and nothing else: no payment, no transaction. */
function expectOnlySignedIn(wallet: TestWallet) {
  expect(wallet.prompts.filter((p) => p.kind === "signature").map((p) => p.method)).toEqual([
    "personal_sign",
  ]);
  expect(wallet.prompts.filter((p) => p.kind === "transaction")).toEqual([]);
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
  const paid = await buyInOwnBrowser(browser, devnet, buyer, tides);

  const second = await browser.newContext();
  try {
    const { page, wallet } = await walletPage(second, devnet, buyer);
    await page.goto(`/articles/${tides.slug}`);
    await expect(page.getByTestId("locked-panel")).toBeVisible();
    expect(await page.content()).not.toContain(tides.secretSentence);

    await restore(page);
    await expect(page.getByTestId("article-body")).toContainText(tides.secretSentence, { timeout: 20_000 });
    // One message signed; no payment authorization, no transaction.
    expectOnlySignedIn(wallet);
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

/**
 * The paywall knows the connected wallet owns the article: Restore access, no price and none of
 * the `hidden` controls (nor a payment link); the click opens the article.
 */
async function restoreAsOwner(page: Page, hidden: string[]) {
  const paywall = page.getByTestId("paywall");
  await expect(paywall).toHaveAttribute("data-ownership", "owner", { timeout: 20_000 });
  await expect(page.getByTestId("restore-access")).toBeVisible();
  await expect(paywall).not.toContainText(PENNY_PRICE);
  await expect(paywall).not.toContainText("ethereum:");
  for (const id of hidden) await expect(page.getByTestId(id)).toHaveCount(0);
  await page.getByTestId("restore-access").click();
  await expect(page.getByTestId("article-body")).toContainText(penny.secretSentence, { timeout: 20_000 });
}

test("a wallet that owns an article is offered Restore access, not a price, on both paths, and pays nothing; another wallet sees the price", async ({
  browser,
  devnet,
}) => {
  test.setTimeout(180_000);
  expect(penny.priceAtomic).toBe(100_000n); // PENNY_PRICE
  const owner = freshAccount();
  const paid = await buyInOwnBrowser(browser, devnet, owner, penny);

  // The gasless path, in a fresh browser: connected, not signed in, the price stands beside the offer.
  const gasless = await browser.newContext();
  try {
    const { page, wallet } = await walletPage(gasless, devnet, owner);
    await page.goto(`/articles/${penny.slug}`);
    await expect(page.getByTestId("nav-library")).toHaveText("Restore purchases");
    await unlockAndConnect(page);
    await expect(page.getByTestId("paywall")).toHaveAttribute("data-ownership", "unproven", {
      timeout: 20_000,
    });
    await expect(page.getByTestId("paywall-offer")).toContainText(PENNY_PRICE);
    await page.getByTestId("paywall-sign-in").click();
    // Signed in as the owner: no price, no payment, no transfer; one way on.
    await restoreAsOwner(page, ["paywall-offer", "paywall-confirm", "pay-transfer"]);
    await expect(page.getByTestId("nav-library")).toHaveText("Library");
    expectOnlySignedIn(wallet);
    expect(await usdcBalance(devnet, owner.address)).toBe(paid);
  } finally {
    await gasless.close();
  }

  // The transfer path, from a browser with no wallet connected: the payment link and QR code show
  // until the owner signs in, then vanish; no transfer is sent.
  const transfer = await browser.newContext();
  try {
    const { page, wallet } = await walletPage(transfer, devnet, owner);
    await page.goto(`/articles/${penny.slug}`);
    await page.getByTestId("unlock-button").click();
    await expect(testWalletOption(page)).toBeVisible();
    await page.keyboard.press("Escape");
    await page.getByTestId("pay-transfer").click();
    await expect(page.getByTestId("qr-code")).toBeVisible();
    await expect(page.getByTestId("payment-uri")).toBeVisible();
    await page.getByTestId("paywall-sign-in").click();
    await testWalletOption(page).click();
    await restoreAsOwner(page, [
      "qr-code",
      "payment-uri",
      "transfer-amount",
      "tx-hash-input",
      "claim-transfer",
    ]);
    expectOnlySignedIn(wallet);
    expect(await usdcBalance(devnet, owner.address)).toBe(paid);
  } finally {
    await transfer.close();
  }

  // Another wallet signs in from the paywall: it owns nothing, so it sees the price.
  const stranger = await browser.newContext();
  try {
    const { page } = await walletPage(stranger, devnet, freshAccount());
    await page.goto(`/articles/${penny.slug}`);
    await unlockAndConnect(page);
    // Offered once the site has said this wallet is not signed in here.
    await expect(page.getByTestId("paywall-sign-in")).toBeVisible({ timeout: 20_000 });
    await page.getByTestId("paywall-sign-in").click();
    await expect(page.getByTestId("paywall")).toHaveAttribute("data-ownership", "not-owner", {
      timeout: 20_000,
    });
    await expect(page.getByTestId("paywall-offer")).toContainText(PENNY_PRICE);
    await expect(page.getByTestId("paywall-confirm")).toBeVisible();
    await expect(page.getByTestId("restore-access")).toHaveCount(0);
    await expect(page.getByTestId("paywall-sign-in")).toHaveCount(0);
    expect(await page.content()).not.toContain(penny.secretSentence);
  } finally {
    await stranger.close();
  }
});

test("wallet code arrives on intent: never on a free article, on /library with the Restore click", async ({
  page,
}) => {
  const loaded = trackScripts(page);
  await page.goto(`/articles/${seedFreeArticles[0]!.slug}`);
  await expect(page.getByTestId("article-body")).toBeVisible();
  await page.goto("/library");
  await expect(page.getByTestId("restore-button")).toBeEnabled();
  await browserIdle(page); // whatever the page would load by itself has been asked for by now
  expect(await loaded()).not.toContain(MARKER);

  await page.getByTestId("restore-button").click();
  await expect(page.getByTestId("rk-connect-button")).toBeVisible();
  expect(await loaded()).toContain(MARKER);
});

test("a locked article downloads the wallet code once its paywall is in view, and asks the wallet nothing before intent", async ({
  page,
  wallet,
}) => {
  const loaded = trackScripts(page);
  await page.goto(`/articles/${tides.slug}`);
  await expect(page.getByTestId("unlock-button")).toBeEnabled();
  // In view and idle: the module is fetched…
  await expect.poll(async () => (await loaded()).includes(MARKER), { timeout: 15_000 }).toBe(true);
  await browserIdle(page);
  // …but not run: nothing reconnects, nothing reads the account, until the reader shows intent.
  expect(wallet.requests.filter((r) => r.method !== "eth_chainId")).toEqual([]);
  await page.getByTestId("unlock-button").hover();
  await expect.poll(() => wallet.requests.some((r) => r.method === "eth_accounts")).toBe(true);
  // Intent alone opens nothing and charges nothing: the price still stands on the button.
  await expect(page.getByTestId("unlock-button")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

/** wagmi's EIP-6963 discovery: in the wallet chunks, in no first-load script. */
const MARKER = "eip6963:requestProvider";

/** The text of every script the page has loaded so far, joined. */
function trackScripts(page: Page): () => Promise<string> {
  const scripts: Promise<string>[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() === "script") scripts.push(res.text().catch(() => ""));
  });
  return async () => (await Promise.all(scripts)).join("\n");
}

/** Resolves once the page's main thread has had nothing to do (requestIdleCallback, capped at 5 s). */
async function browserIdle(page: Page) {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 5_000 })),
  );
}
