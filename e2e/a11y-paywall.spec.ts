// The paywall for readers who use a keyboard, a screen reader or reduced motion, on the real stack.
// axe-core (WCAG 2.1 A and AA) scans every state the paywall can be in: RainbowKit's wallet dialog,
// confirm, signing, settling, success, each error a reader can cause for real (a rejected
// signature, too little USDC, a wallet on another network, one that cannot sign typed data, the
// site out of reach), the transfer view with its QR code, and the unlocked article. A state is held
// still for its scan by the wallet not answering yet (holdNext) or by the browser holding a request
// until released; nothing is answered in the server's place. Then a purchase made with the
// keyboard alone, with reduced motion asked for. Each story pays from a fresh key of its own, so
// its balance is checked exactly.
import type { Browser, Locator, Page, Request } from "@playwright/test";
import { expect, test, usdcBalance, type Devnet } from "./fixtures";
import { expectNoSeriousViolations } from "./fixtures/axe";
import { freshFundedReader } from "./fixtures/funding";
import { seedArticle, testWalletOption } from "./fixtures/paywall";
import { injectTestWallet } from "./fixtures/wallet";

const tides = seedArticle("reading-the-tide-tables"); // $0.03
const marginal = seedArticle("in-praise-of-the-marginal-note"); // $0.01
const longWait = seedArticle("the-long-wait-for-402"); // $0.05

/** A browser of its own whose wallet holds a fresh key with `funds` of test USDC. */
async function freshReader(browser: Browser, devnet: Devnet, funds: bigint) {
  const account = await freshFundedReader(devnet, funds);
  const context = await browser.newContext();
  const wallet = await injectTestWallet(context, devnet, account);
  return { context, wallet, account, page: await context.newPage() };
}

/** Holds the page's matching requests until `release()`; each then goes on to the server unchanged. */
async function holdRequests(page: Page, path: string, which: (request: Request) => boolean) {
  let release!: () => void;
  let reached!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const seen = new Promise<void>((resolve) => (reached = resolve));
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      if (which(route.request())) {
        reached();
        await released;
      }
      await route.continue();
    },
  );
  return { seen, release };
}

/** The paywall's two live regions: progress and outcomes (polite), errors (assertive). */
const regions = (page: Page) => ({
  status: page.getByTestId("paywall-live"),
  alert: page.getByTestId("paywall-alert"),
});

async function expectAnnounced(page: Page, kind: "status" | "alert", text: string | RegExp) {
  const { status, alert } = regions(page);
  await expect(status).toHaveAttribute("role", "status");
  await expect(status).toHaveAttribute("aria-live", "polite");
  await expect(alert).toHaveAttribute("role", "alert");
  await expect(kind === "status" ? status : alert).toContainText(text);
  await expect(kind === "status" ? alert : status).toHaveText("");
}

/** Presses Tab until `target` has focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

test("every state of the gasless paywall, through to the unlocked article, has no serious axe violations", async ({
  browser,
  devnet,
}, testInfo) => {
  test.setTimeout(240_000); // nine scans; over 100 s seen on a machine busy with other builds
  const { context, wallet, account, page } = await freshReader(browser, devnet, 1_000_000n);
  try {
    await page.goto(`/articles/${tides.slug}`);
    await expect(page.getByTestId("unlock-button")).toBeEnabled();

    await page.getByTestId("unlock-button").click();
    await expect(testWalletOption(page)).toBeVisible();
    // Left out, and only these: the wallet logos inside RainbowKit's wallet buttons. RainbowKit
    // 2.2.11 renders each as a <div role="img"> with no name (its AsyncImage gets no `alt` from
    // ModalSelection) and offers no prop to name or hide it; the button's own name, the wallet's
    // name, is what a screen reader needs, and that is checked here instead.
    await expect(page.getByRole("dialog").getByRole("button", { name: "Kiosk Test Wallet" })).toBeVisible();
    await expectNoSeriousViolations(page, testInfo, "the wallet dialog (RainbowKit)", {
      exclude: ['[data-testid^="rk-wallet-option-"] [role="img"]'],
    });

    await testWalletOption(page).click();
    await expect(page.getByTestId("paywall-confirm")).toBeVisible();
    await expectAnnounced(page, "status", "Ready to pay");
    await expect(page.getByTestId("paywall-tone-icon")).toHaveAttribute("data-icon", "info");
    await expectNoSeriousViolations(page, testInfo, "the confirm step");

    // Signing: the wallet has been asked and has not answered yet.
    const signature = wallet.holdNext("signature");
    await page.getByTestId("paywall-confirm").click();
    await signature.asked;
    await expectAnnounced(page, "status", "Waiting for your signature");
    // Without a request for reduced motion the spinner spins (the keyboard story below asks for less).
    await expect(page.getByTestId("paywall-spinner")).toHaveCSS("animation-name", "spin");
    await expectNoSeriousViolations(page, testInfo, "the signing step");

    // The reader declines in the wallet.
    wallet.rejectNext("signature");
    signature.release();
    await expectAnnounced(page, "alert", "Signature rejected");
    await expect(page.getByTestId("paywall-tone-icon")).toHaveAttribute("data-icon", "error");
    await expect(page.getByRole("button", { name: "Try again" })).toBeFocused();
    await expectNoSeriousViolations(page, testInfo, "a rejected signature");

    // Settling: the signed request is on its way to the server, held in the browser.
    await page.getByRole("button", { name: "Try again" }).click();
    const paid = await holdRequests(page, `/api/articles/${tides.slug}`, (r) =>
      Boolean(r.headers()["payment-signature"]),
    );
    // Success: the page's refresh (an RSC request for the article page) is held too.
    const refresh = await holdRequests(page, `/articles/${tides.slug}`, (r) => r.headers()["rsc"] === "1");
    await page.getByTestId("paywall-confirm").click();
    await paid.seen;
    await expectAnnounced(page, "status", "Settling on chain");
    await expectNoSeriousViolations(page, testInfo, "the settling step");

    paid.release();
    await refresh.seen;
    await expectAnnounced(page, "status", "Unlocked");
    await expect(page.getByTestId("paywall-tone-icon")).toHaveAttribute("data-icon", "success");
    await expectNoSeriousViolations(page, testInfo, "the success state");

    refresh.release();
    const body = page.getByTestId("article-body");
    await expect(body).toContainText(tides.secretSentence, { timeout: 20_000 });
    await expect(body).toBeFocused();
    await expectNoSeriousViolations(page, testInfo, "the unlocked article");
    expect(await usdcBalance(devnet, account.address)).toBe(1_000_000n - tides.priceAtomic);
  } finally {
    await context.close();
  }
});

test("each paywall error a reader can cause is announced as an alert and has no serious axe violations", async ({
  browser,
  devnet,
}, testInfo) => {
  test.setTimeout(180_000);
  // $0.01 of USDC: enough for the marginal note, not for the tide tables ($0.03).
  const funds = 10_000n;
  const { context, wallet, account, page } = await freshReader(browser, devnet, funds);
  try {
    // The site is out of reach when the paywall asks for the price.
    await page.route(
      (url) => url.pathname === `/api/articles/${tides.slug}`,
      (route) => route.abort("connectionrefused"),
    );
    await page.goto(`/articles/${tides.slug}`);
    await page.getByTestId("unlock-button").click();
    await expectAnnounced(page, "alert", "The price could not be loaded");
    await expectNoSeriousViolations(page, testInfo, "the price could not be loaded");
    await page.unrouteAll();

    // Too little USDC: refused before any signature is asked for.
    await page.goto(`/articles/${tides.slug}`);
    await page.getByTestId("unlock-button").click();
    await testWalletOption(page).click();
    await page.getByTestId("paywall-confirm").click();
    await expectAnnounced(page, "alert", "Not enough USDC");
    await expect(page.getByRole("button", { name: "Use another wallet" })).toBeVisible();
    await expectNoSeriousViolations(page, testInfo, "not enough USDC");

    // A wallet on another network that refuses to switch back.
    await page.goto(`/articles/${marginal.slug}`);
    await page.getByTestId("unlock-button").click();
    const confirm = page.getByTestId("paywall-confirm");
    await expect(testWalletOption(page).or(confirm)).toBeVisible();
    if (await testWalletOption(page).isVisible()) await testWalletOption(page).click();
    await expect(confirm).toBeVisible();
    const other = "0x14a34";
    await wallet.handle("wallet_addEthereumChain", [
      { chainId: other, chainName: "Elsewhere", rpcUrls: [devnet.rpcUrl] },
    ]);
    wallet.rejectNext("switch-chain");
    await page.evaluate(
      (id) =>
        (
          window as unknown as { __kioskTestWallet: { emit(e: string, p: unknown): void } }
        ).__kioskTestWallet.emit("chainChanged", id),
      other,
    );
    await expectAnnounced(page, "alert", "Wrong network");
    await expectNoSeriousViolations(page, testInfo, "the wrong network");
    await page.getByRole("button", { name: /^Switch to / }).click();
    await expect(confirm).toBeVisible();

    // A wallet that cannot sign typed data.
    wallet.lacks("eth_signTypedData_v4");
    await confirm.click();
    await expectAnnounced(page, "alert", "This wallet cannot sign the payment");
    await expectNoSeriousViolations(page, testInfo, "a wallet that cannot sign typed data");

    expect(await usdcBalance(devnet, account.address)).toBe(funds);
  } finally {
    await context.close();
  }
});

test("the transfer view with its QR code has no serious axe violations", async ({
  browser,
  devnet,
}, testInfo) => {
  const { context, page } = await freshReader(browser, devnet, 0n);
  try {
    await page.goto(`/articles/${tides.slug}`);
    await page.getByTestId("unlock-button").click();
    await expect(testWalletOption(page)).toBeVisible();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Pay with a transfer (QR code)" }).click();
    await expect(page.getByTestId("qr-code")).toBeVisible();
    await expect(page.getByTestId("qr-code")).toHaveAttribute("alt", /QR code: pay \$0\.03/);
    await expectNoSeriousViolations(page, testInfo, "the transfer view with its QR code");

    await page.getByTestId("tx-hash-input").fill("0x1234");
    await expect(page.getByTestId("tx-hash-input")).toHaveAttribute("aria-invalid", "true");
    await expectNoSeriousViolations(page, testInfo, "the transfer view with a malformed hash");
  } finally {
    await context.close();
  }
});

test("a reader buys an article with the keyboard alone, hears each step, and sees no motion when asking for less", async ({
  browser,
  devnet,
}) => {
  test.setTimeout(120_000);
  const { context, wallet, account, page } = await freshReader(browser, devnet, 1_000_000n);
  try {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(`/articles/${longWait.slug}`);
    const unlock = page.getByTestId("unlock-button");
    await expect(unlock).toBeEnabled();

    // Tab to Unlock, Enter: RainbowKit's dialog opens with focus inside it, and does not move.
    await tabTo(page, unlock);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await expect(testWalletOption(page)).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]')))
      .toBe(true);
    const animated = await dialog.evaluate(
      (root) =>
        [root, ...root.querySelectorAll("*")]
          .map((el) => getComputedStyle(el))
          .filter((s) => s.animationName !== "none" || s.transitionProperty !== "none").length,
    );
    expect(animated, "elements of the wallet dialog still animating").toBe(0);

    // Escape closes it and gives focus back to the paywall's way in (Unlock's place).
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    const connect = page.getByRole("button", { name: "Connect a wallet" });
    await expect(connect).toBeFocused();

    // Enter again, Tab to the wallet, Enter: connected, and focus is on Confirm.
    await page.keyboard.press("Enter");
    await expect(testWalletOption(page)).toBeVisible();
    await tabTo(page, testWalletOption(page));
    await page.keyboard.press("Enter");
    const confirm = page.getByTestId("paywall-confirm");
    await expect(confirm).toBeFocused();
    await expect(confirm).toHaveText("Confirm and pay $0.05");

    // First the reader declines in the wallet: the wait is announced, then the refusal, and focus
    // goes to the way forward.
    wallet.rejectNext("signature");
    const declined = wallet.holdNext("signature");
    await page.keyboard.press("Enter");
    await declined.asked;
    await expectAnnounced(page, "status", "Waiting for your signature");
    const spinner = page.getByTestId("paywall-spinner");
    await expect(spinner).toHaveCSS("animation-name", "none");
    await expect(spinner).toHaveCSS("transition-property", "none");
    declined.release();
    await expectAnnounced(page, "alert", "Signature rejected");
    const again = page.getByRole("button", { name: "Try again" });
    await expect(again).toBeFocused();

    // Enter, Enter: signed, settled, and focus lands on the article's text.
    await page.keyboard.press("Enter");
    await expect(confirm).toBeFocused();
    await page.keyboard.press("Enter");
    const body = page.getByTestId("article-body");
    await expect(body).toContainText(longWait.secretSentence, { timeout: 20_000 });
    await expect(body).toBeFocused();
    await expect(body).toHaveAttribute("tabindex", "-1");
    expect(await usdcBalance(devnet, account.address)).toBe(1_000_000n - longWait.priceAtomic);
    expect(wallet.prompts.filter((p) => p.kind === "signature").map((p) => p.approved)).toEqual([
      false,
      true,
    ]);
  } finally {
    await context.close();
  }
});
