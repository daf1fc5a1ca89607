// Paying by plain USDC transfer through the UI: from the connected injected wallet, and
// from "a phone" (a transfer sent outside the page, claimed by pasting its hash and signing with
// the sending wallet). Reader #7 is used by no other spec.
import { createPublicClient, createWalletClient, erc20Abi, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { localChain } from "../components/wallet/chain-config";
import { formatUsdc } from "../lib/content/money";
import { expect, test, usdcBalance, usdcBalances } from "./fixtures";
import { seedArticle, testWalletOption, unlockAndConnect } from "./fixtures/paywall";

/** The amount an EIP-681 link asks for (its `uint256` parameter). */
function quotedAmount(uri: string | null): bigint {
  const amount = /[?&]uint256=(\d+)$/.exec(uri ?? "")?.[1];
  if (!amount) throw new Error(`no amount in payment link ${uri}`);
  return BigInt(amount);
}

const marginal = seedArticle("in-praise-of-the-marginal-note"); // $0.01, forever
const penny = seedArticle("what-a-penny-costs-to-move"); // $0.10, 7 days
const tides = seedArticle("reading-the-tide-tables"); // $0.03, 24 hours

test.describe("with the injected wallet", () => {
  test.use({ walletAccount: { role: "reader", index: 7 } });

  test("pays by transfer from the connected wallet, signs the claim, reads the body", async ({
    page,
    wallet,
    devnet,
  }, testInfo) => {
    const before = await usdcBalances(devnet, { reader: wallet.address, publisher: devnet.payTo });
    await page.goto(`/articles/${marginal.slug}`);
    await unlockAndConnect(page);
    await page.getByTestId("pay-transfer").click();

    await expect(page.getByTestId("article-body")).toContainText(marginal.secretSentence, {
      timeout: 30_000,
    });
    await testInfo.attach("unlocked-by-transfer", {
      body: await page.screenshot({ fullPage: true }),
      contentType: "image/png",
    });

    // One ordinary transaction, then one free claim signature; no EIP-712 authorization.
    expect(wallet.prompts.map((p) => p.kind)).toEqual(["connect", "transaction", "signature"]);
    expect(wallet.requests.filter((r) => r.method === "personal_sign")).toHaveLength(1);
    expect(wallet.requests.filter((r) => r.method === "eth_signTypedData_v4")).toHaveLength(0);
    // The transfer paid the quote: the price plus 1–999 atomic units that name this offer.
    const after = await usdcBalances(devnet, { reader: wallet.address, publisher: devnet.payTo });
    const debited = before.reader - after.reader;
    expect(debited).toBeGreaterThan(marginal.priceAtomic);
    expect(debited).toBeLessThan(marginal.priceAtomic + 1_000n);
    expect(after.publisher).toBeGreaterThanOrEqual(before.publisher + debited);

    await page.reload();
    await expect(page.getByTestId("article-body")).toContainText(marginal.secretSentence);
  });

  test("a transfer sent from a phone is claimed by pasting its hash, then signing with the sending wallet", async ({
    page,
    wallet,
    devnet,
  }) => {
    // "The phone": the same account, sending an ordinary transfer straight to anvil, outside the page.
    const phone = createWalletClient({
      account: privateKeyToAccount(wallet.devnetAccount.privateKey as Hex),
      chain: localChain(devnet.chainId, devnet.rpcUrl),
      transport: http(devnet.rpcUrl, { retryCount: 0 }),
    });
    const before = await usdcBalance(devnet, wallet.address);

    await page.goto(`/articles/${tides.slug}`);
    await page.getByTestId("unlock-button").click();
    await expect(testWalletOption(page)).toBeVisible();
    await page.keyboard.press("Escape"); // no wallet in this browser, as far as the reader is concerned
    await page.getByTestId("pay-transfer").click();
    await expect(page.getByTestId("qr-code")).toBeVisible();
    // The phone scans the link: it pays the quoted amount, not the bare price.
    const quoted = quotedAmount(await page.getByTestId("payment-uri").getAttribute("href"));
    expect(quoted).toBeGreaterThan(tides.priceAtomic);
    expect(quoted).toBeLessThan(tides.priceAtomic + 1_000n);
    await expect(page.getByTestId("transfer-amount")).toHaveText(formatUsdc(quoted));

    const txHash = await phone.writeContract({
      address: devnet.usdc as Hex,
      abi: erc20Abi,
      functionName: "transfer",
      args: [devnet.payTo as Hex, quoted],
    });
    // anvil answers with the hash as soon as the transaction is accepted; wait until it is mined,
    // as a phone wallet does before showing "sent".
    await createPublicClient({ transport: http(devnet.rpcUrl) }).waitForTransactionReceipt({
      hash: txHash,
      pollingInterval: 50,
    });
    expect(await usdcBalance(devnet, wallet.address)).toBe(before - quoted);

    await page.getByTestId("tx-hash-input").fill(txHash);
    await page.getByTestId("claim-transfer").click();
    // The hash alone unlocks nothing: the page asks for the sending wallet, which signs the claim.
    await testWalletOption(page).click();
    await expect(page.getByTestId("article-body")).toContainText(tides.secretSentence, { timeout: 30_000 });
    expect(wallet.prompts.map((p) => p.kind)).toEqual(["connect", "signature"]);
    expect(await usdcBalance(devnet, wallet.address)).toBe(before - quoted);
  });
});

test("a reader with no wallet connected gets the payment link as a QR code", async ({ page }, testInfo) => {
  await page.goto(`/articles/${penny.slug}`);
  await page.getByTestId("unlock-button").click();
  await expect(page.getByRole("dialog")).toBeVisible(); // RainbowKit offers to connect; the reader declines
  await page.keyboard.press("Escape");
  await page.getByTestId("pay-transfer").click();

  const qr = page.getByTestId("qr-code");
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const uri = (await page.getByTestId("payment-uri").getAttribute("href"))!;
  await expect(page.getByTestId("payment-uri")).toHaveText(uri);
  expect(uri).toMatch(/^ethereum:0x[0-9a-fA-F]{40}@31337\/transfer\?address=0x[0-9a-fA-F]{40}&uint256=\d+$/);
  // Each 402 quotes its own amount (price + 1–999 atomic units); the page shows the one it links.
  const quoted = quotedAmount(uri);
  expect(quoted).toBeGreaterThan(penny.priceAtomic);
  expect(quoted).toBeLessThan(penny.priceAtomic + 1_000n);
  await expect(page.getByTestId("transfer-amount")).toHaveText(formatUsdc(quoted));
  await expect(page.getByTestId("tx-hash-input")).toBeVisible();
  await expect(page.getByTestId("claim-transfer")).toBeDisabled();
  await page.getByTestId("tx-hash-input").fill("0x1234");
  await expect(
    page.getByText("A transaction hash is 0x followed by 64 hexadecimal characters."),
  ).toBeVisible();

  const shot = await page.locator("#unlock-slot").screenshot();
  await testInfo.attach("transfer-qr-code", { body: shot, contentType: "image/png" });
  await page.screenshot({ path: testInfo.outputPath("transfer-qr-code.png"), fullPage: true });
});
