// The publisher's side, end to end on the real stack: sign in with an injected wallet (SIWE through
// RainbowKit), write and publish a priced article, a reader pays for it on chain, and the sales
// page and its CSV show that very payment. A second story: a wallet that is not a publisher yet
// creates its profile, and can't open another publisher's article.
//
// The reader pays with the official x402 client (@x402/fetch, through components/wallet/x402-signer)
// from Node with a devnet reader key: the article page's in-browser Unlock flow is another slice's
// and was not wired into the page when this was written. The payment itself is real either way:
// a signed EIP-3009 authorization settled on anvil, with balances checked.
import { readFileSync } from "node:fs";
import { privateKeyToAccount } from "viem/accounts";
import { createPayingFetch } from "../components/wallet/x402-signer";
import { expect, pickAccount, test, usdcBalances, type Devnet } from "./fixtures";
import { signInToStudio as signIn } from "./fixtures/studio";

const SECRET = "Only people who paid for this e2e article can read this sentence.";
const HOSTILE = '<script>alert("xss")</script> <img src=x onerror="alert(1)"> [click](javascript:alert(2))';

async function buy(devnet: Devnet, baseURL: string, slug: string, maxAmount: string) {
  const reader = pickAccount(devnet, { role: "reader", index: 6 });
  const account = privateKeyToAccount(reader.privateKey as `0x${string}`);
  const payingFetch = createPayingFetch({
    signer: account,
    network: `eip155:${devnet.chainId}`,
    asset: devnet.usdc as `0x${string}`,
    maxAmount,
  });
  const res = await payingFetch(`${baseURL}/api/articles/${slug}`);
  expect(res.status).toBe(200);
  const { article } = (await res.json()) as { article: { body: string } };
  expect(article.body).toContain(SECRET);
  const settled = JSON.parse(
    Buffer.from(res.headers.get("payment-response") ?? "", "base64").toString("utf8"),
  ) as {
    success: boolean;
    transaction: string;
  };
  expect(settled.success).toBe(true);
  expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/);
  return { payer: account.address.toLowerCase(), txHash: settled.transaction };
}

test.describe("a publisher", () => {
  test.use({ walletAccount: { role: "publisher" } });

  test("signs in, publishes a priced article, and sees a reader's purchase in sales and the CSV", async ({
    page,
    wallet,
    devnet,
    baseURL,
  }) => {
    void wallet; // injected before the first navigation
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    await signIn(page);
    // The devnet "publisher" account is the seeded publisher.
    await expect(page.getByTestId("studio-publisher-name")).toHaveText("The Ledger Review");
    await expect(page.getByTestId("studio-article-row").first()).toBeVisible();

    // Write an article, with a price that is refused first.
    const slug = `studio-e2e-${Date.now().toString(36)}`;
    await page.getByTestId("new-article").click();
    await page.getByLabel("Title").fill("Notes From the Studio");
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Price (USD, paid in USDC)").fill("0.0000001");
    await expect(page.getByTestId("article-price-error")).toHaveText("USDC has at most 6 decimal places.");
    await page.getByLabel("Price (USD, paid in USDC)").fill("0.07");
    await page.getByLabel("Access after one payment").selectOption("7d");
    await page
      .getByLabel("Body (Markdown)")
      .fill(`A studio test opens with a *teaser*.\n\n${HOSTILE}\n\n${SECRET}`);

    // The preview leaves the hostile HTML out and keeps the rest of the body.
    await page.getByTestId("article-tab-preview").click();
    const preview = page.getByTestId("article-preview");
    await expect(preview.getByTestId("article-preview-teaser")).toHaveText(
      "A studio test opens with a teaser.",
    );
    await expect(preview).not.toContainText("alert(");
    await expect(preview.locator("script, img, a[href^='javascript']")).toHaveCount(0);
    await page.getByTestId("article-tab-write").click();

    await page.getByTestId("article-save").click();
    await expect(page).toHaveURL(/\/studio\/articles\/\d+$/);
    const articleId = page.url().split("/").pop();
    await expect(page.getByTestId("article-status")).toHaveText("Draft");
    // A draft is not for sale yet.
    expect((await page.request.get(`/api/articles/${slug}`)).status()).toBe(404);

    await page.getByTestId("article-publish").click();
    await expect(page.getByTestId("studio-success")).toHaveText("Published: the article is live.");
    await expect(page.getByTestId("article-status")).toHaveText("Live");
    await expect(page.getByLabel("Slug")).toBeDisabled();
    expect(dialogs).toEqual([]);

    // A reader pays $0.07 for it; the USDC moves from the reader to the publisher's payout address.
    const unpaid = await page.request.get(`/api/articles/${slug}`);
    expect(unpaid.status()).toBe(402);
    // The reader's balance is this test's alone; other specs pay the same publisher meanwhile, so
    // only a lower bound holds for the publisher's.
    const readerAddress = pickAccount(devnet, { role: "reader", index: 6 }).address;
    const before = await usdcBalances(devnet, { reader: readerAddress, publisher: devnet.payTo });
    const sale = await buy(devnet, baseURL!, slug, "70000");
    const after = await usdcBalances(devnet, { reader: readerAddress, publisher: devnet.payTo });
    expect(before.reader - after.reader).toBe(70_000n);
    expect(after.publisher).toBeGreaterThanOrEqual(before.publisher + 70_000n);

    // The sales page shows that sale with its amount and transaction.
    await page.goto(`/studio/articles/${articleId}/sales`);
    await expect(page.getByTestId("sales-title")).toHaveText("Notes From the Studio");
    await expect(page.getByTestId("sales-count")).toHaveText("1");
    await expect(page.getByTestId("sales-revenue")).toHaveText("$0.07");
    await expect(page.getByTestId("sales-payers")).toHaveText("1");
    // One payment, so one channel holds 100%. Which one is lib/payments' call (it reads Sec-Fetch-*
    // headers; Node's fetch sends Sec-Fetch-Mode too, so this Node client may count as a browser).
    await expect(page.getByTestId("sales-channels")).toHaveText(/^(100% \/ 0%|0% \/ 100%)$/);
    const channel = (await page.getByTestId("sales-channels").textContent())?.startsWith("100%")
      ? "browser"
      : "agent";
    const row = page.locator(`[data-testid="sale-row"][data-tx="${sale.txHash}"]`);
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("sale-amount")).toHaveText("$0.07");
    await expect(page.getByTestId("revenue-chart").locator("rect")).toHaveCount(1);
    await expect(page.getByTestId("sales-funnel")).toContainText("Settled");

    // The CSV export contains it, amount and hash included.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("sales-csv").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`kiosk-sales-${slug}.csv`);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "settled_at,resource,payer,amount_usdc,amount_atomic,channel,method,network,tx_hash,status,refunded_at,refund_tx_hash",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(
      `,article:${slug},${sale.payer},0.07,70000,${channel},authorization,eip155:${devnet.chainId},${sale.txHash}`,
    );

    // And the dashboard counts it against the article.
    await page.goto("/studio");
    await expect(page.locator(`[data-testid="studio-article-row"][data-slug="${slug}"]`)).toContainText(
      "$0.07",
    );
  });
});

test.describe("a wallet that is not a publisher yet", () => {
  test.use({ walletAccount: { role: "reader", index: 8 } });

  test("creates its profile, can't open another publisher's article, and signs out", async ({
    page,
    wallet,
  }) => {
    await signIn(page);
    await expect(page.getByTestId("profile-form")).toBeVisible();
    await page.getByLabel("Publisher name").fill("E2E Press");
    await page.getByTestId("profile-save").click();
    await expect(page.getByTestId("studio-publisher-name")).toHaveText("E2E Press");
    await expect(page.getByText(`Payouts to ${wallet.address.toLowerCase()}`)).toBeVisible();

    // A priced CSV endpoint: JSON is checked as typed, CSV goes live and answers 402 like any paid path.
    const path = `e2e/tides-${Date.now().toString(36)}.csv`;
    await page.goto("/studio/endpoints/new");
    await page.getByLabel("Name", { exact: true }).fill("Tide heights");
    await page.getByLabel("Path").fill(path);
    await page.getByLabel("Price per payment (USD)").fill("0.002");
    await page.getByLabel("Content").fill("{nope");
    await expect(page.getByTestId("endpoint-content-error")).toContainText("The content is not valid JSON");
    await page.getByLabel("Format").selectOption("csv");
    await page.getByLabel("Content").fill("day,height_m\n2030-01-01,1.2\n");
    await page.getByTestId("endpoint-save").click();
    await expect(page).toHaveURL(/\/studio\/endpoints\/\d+$/);
    await page.getByTestId("endpoint-publish").click();
    await expect(page.getByTestId("studio-success")).toHaveText("Published: the endpoint is live.");
    const paywalled = await page.request.get(`/api/data/${path}`);
    expect(paywalled.status()).toBe(402);
    const required = JSON.parse(
      Buffer.from(paywalled.headers()["payment-required"] ?? "", "base64").toString("utf8"),
    ) as {
      accepts: { amount: string; payTo: string }[];
    };
    expect(required.accepts[0]).toMatchObject({ amount: "2000" });
    expect(required.accepts[0]?.payTo.toLowerCase()).toBe(wallet.address.toLowerCase());

    // Moving the payouts takes the account wallet, not just the session: the cookie alone gets 403.
    const newPayTo = pickAccount(wallet.devnet, { role: "reader", index: 9 }).address.toLowerCase();
    const withSessionOnly = await page.request.patch("/api/studio/publisher", { data: { payTo: newPayTo } });
    expect(withSessionOnly.status()).toBe(403);
    await page.goto("/studio/profile");
    await expect(page.getByTestId("payout-changes")).toContainText("None yet");
    await page.getByLabel("New payout address").fill(newPayTo);
    await page.getByTestId("payout-save").click();
    await expect(page.getByText("Payout address changed.")).toBeVisible();
    await expect(page.getByTestId("payout-current")).toHaveText(newPayTo);
    const logged = page.getByTestId("payout-change");
    await expect(logged).toHaveCount(1);
    await expect(logged).toContainText(wallet.address.toLowerCase()); // from, and signed by
    await expect(logged).toContainText(newPayTo);
    expect(wallet.prompts.at(-1)).toMatchObject({
      kind: "signature",
      method: "personal_sign",
      approved: true,
    });
    const repriced = await page.request.get(`/api/data/${path}`);
    const moved = JSON.parse(
      Buffer.from(repriced.headers()["payment-required"] ?? "", "base64").toString("utf8"),
    ) as { accepts: { payTo: string }[] };
    expect(moved.accepts[0]?.payTo.toLowerCase()).toBe(newPayTo);

    // Article 1 is the seeded publisher's: the API says 403, the page says so too.
    const res = await page.request.get("/api/studio/articles/1");
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: "forbidden", message: "This article belongs to another publisher." },
    });
    expect(
      (await page.request.patch("/api/studio/articles/1", { data: { title: "Mine now" } })).status(),
    ).toBe(403);
    const forbiddenPage = await page.goto("/studio/articles/1");
    expect(forbiddenPage?.status()).toBe(403);
    await expect(page.getByTestId("studio-forbidden")).toBeVisible();

    // A copy of the session token taken before signing out (another machine, a leaked cookie)...
    const copied = (await page.context().cookies()).find((c) => c.name === "kiosk_studio");
    expect(copied?.value).toBeTruthy();
    await page.getByTestId("studio-sign-out").click();
    await expect(page.getByTestId("studio-sign-in-panel")).toBeVisible();
    expect((await page.request.get("/api/auth/session")).status()).toBe(401);
    // ...is dead too: signing out revoked the session on the server.
    const replayed = await page.request.get("/api/auth/session", {
      headers: { cookie: `kiosk_studio=${copied?.value}` },
    });
    expect(replayed.status()).toBe(401);
  });
});
