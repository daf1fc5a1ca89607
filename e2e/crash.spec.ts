// A crash exactly in the money window: a second production server (`next start`, its own PGlite
// and relayer key, the e2e chain behind a JSON-RPC proxy) is killed — its whole process group,
// SIGKILL — the moment the chain accepts its settlement transaction, before it can record or
// answer. Restarted, it must lose nothing: the reader who clicks Unlock again (a fresh
// authorization) gets the article without a second debit, the old payment header gets 409 with
// the settlement, and the publisher has one sale. The same for a transfer claim killed after its
// chain checks. Readers #3 and #2 are used by no other spec.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { createTestClient, createWalletClient, erc20Abi, http, parseEther, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { openDb } from "../lib/db/client";
import { payments } from "../lib/db/schema";
import { seed } from "../lib/db/seed";
import { startRpcProxy, type RpcProxy } from "../lib/devnet/rpc-proxy";
import { freePort } from "../lib/devnet/testing";
import { claimMessage } from "../lib/payments/claim-message";
import { E2E_DATA_DIR, expect, pickAccount, REPO_ROOT, test, usdcBalance } from "./fixtures";
import { seedArticle, testWalletOption } from "./fixtures/paywall";

const article = seedArticle("in-praise-of-the-marginal-note"); // $0.01, forever
const claimed = seedArticle("reading-the-tide-tables"); // $0.03, 24 hours
const CRASH_DIR = path.join(REPO_ROOT, ".data", "e2e-crash");
const NEXT_BIN = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");

test.describe.configure({ mode: "serial" });
test.use({ walletAccount: { role: "reader", index: 3 } });

let proxy: RpcProxy;
let server: ChildProcess | null = null;
let port: number;
let baseUrl: string;
const relayerKey = generatePrivateKey();

function startServer(): ChildProcess {
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: REPO_ROOT,
    detached: true, // its own process group, so the kill takes every process it started
    stdio: "ignore",
    env: {
      ...process.env,
      NODE_ENV: "production",
      KIOSK_DATA_DIR: CRASH_DIR,
      RPC_URL: proxy.url,
      RELAYER_PRIVATE_KEY: relayerKey,
      RECEIPT_SECRET: "crash-test-receipt-secret-0123456789abcdef",
      SESSION_SECRET: "crash-test-session-secret-0123456789abcdef",
    },
  });
  return child;
}

function killServer(signal: NodeJS.Signals): void {
  if (server?.pid) {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // already gone
    }
  }
  server = null;
}

async function waitUntilUp(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/api/articles`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the crash-test server did not come up");
}

test.beforeAll(async ({ devnet }) => {
  rmSync(CRASH_DIR, { recursive: true, force: true });
  mkdirSync(CRASH_DIR, { recursive: true });
  cpSync(path.join(E2E_DATA_DIR, "devnet.json"), path.join(CRASH_DIR, "devnet.json"));
  const db = await openDb({ kind: "pglite", dataDir: path.join(CRASH_DIR, "pglite") });
  await seed(db.db, devnet);
  await db.close();
  // A relayer key of its own (the main e2e server's relayer keeps its nonces to itself).
  await createTestClient({ mode: "anvil", transport: http(devnet.rpcUrl) }).setBalance({
    address: privateKeyToAccount(relayerKey).address,
    value: parseEther("10"),
  });
  proxy = await startRpcProxy(devnet.rpcUrl);
  port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = startServer();
  await waitUntilUp();
});

test.afterAll(async () => {
  killServer("SIGKILL");
  await proxy?.close();
});

test("a server killed right after the chain took its settlement loses nothing", async ({
  page,
  wallet,
  devnet,
}) => {
  test.setTimeout(180_000);
  const before = await usdcBalance(devnet, wallet.address);

  // Capture the payment header the page sends, to replay it after the crash.
  let firstHeader: string | null = null;
  page.on("request", (r) => {
    const header = r.headers()["payment-signature"];
    if (header && !firstHeader) firstHeader = header;
  });
  let killed = false;
  proxy.setHook((call) =>
    call.method === "eth_sendRawTransaction" && !killed
      ? {
          dropAfter: () => {
            killed = true;
            killServer("SIGKILL");
          },
        }
      : "forward",
  );

  await page.goto(`${baseUrl}/articles/${article.slug}`);
  await page.getByTestId("unlock-button").click();
  await testWalletOption(page).click();
  await page.getByTestId("paywall-confirm").click();
  await expect.poll(() => killed, { timeout: 30_000 }).toBe(true);
  // The chain took the transfer; the server died before recording or answering.
  await expect.poll(() => usdcBalance(devnet, wallet.address)).toBe(before - article.priceAtomic);
  await expect(page.getByTestId("article-body")).toHaveCount(0);
  expect(firstHeader).toBeTruthy();

  // Restart on the same database; the reader tries again with a fresh authorization.
  proxy.setHook(null);
  server = startServer();
  await waitUntilUp();
  await page.goto(`${baseUrl}/articles/${article.slug}`);
  await page.getByTestId("unlock-button").click();
  const option = testWalletOption(page);
  const confirm = page.getByTestId("paywall-confirm");
  await expect(option.or(confirm)).toBeVisible();
  if (await option.isVisible()) await option.click();
  await confirm.click();
  await expect(page.getByTestId("article-body")).toContainText(article.secretSentence, { timeout: 30_000 });
  expect(await usdcBalance(devnet, wallet.address)).toBe(before - article.priceAtomic);

  // The old header, sent again by anyone: the settlement, not the content.
  const replay = await fetch(`${baseUrl}/api/articles/${article.slug}`, {
    headers: { "payment-signature": firstHeader! },
  });
  expect(replay.status).toBe(409);
  const settlement = JSON.parse(Buffer.from(replay.headers.get("payment-response")!, "base64").toString());
  expect(settlement).toMatchObject({ success: true, transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  expect(await replay.text()).not.toContain(article.secretSentence);

  // The publisher has exactly one sale for it.
  killServer("SIGTERM");
  await new Promise((r) => setTimeout(r, 1_000));
  const db = await openDb({ kind: "pglite", dataDir: path.join(CRASH_DIR, "pglite") });
  try {
    const sales = await db.db
      .select()
      .from(payments)
      .where(and(eq(payments.resource, `article:${article.slug}`), eq(payments.status, "settled")));
    expect(sales).toHaveLength(1);
    expect(sales[0]!.txHash).toBe(settlement.transaction);
  } finally {
    await db.close();
  }
});

test("a server killed in the middle of a transfer claim loses nothing: the same claim works after restart", async ({
  devnet,
}) => {
  test.setTimeout(120_000);
  const reader = pickAccount(devnet, { role: "reader", index: 2 });
  const account = privateKeyToAccount(reader.privateKey as Hex);
  if (!server) {
    server = startServer();
    await waitUntilUp();
  }
  const offer = await fetch(`${baseUrl}/api/articles/${claimed.slug}`);
  expect(offer.status).toBe(402);
  const { transferQuote } = (await offer.json()) as { transferQuote: { token: string; amount: string } };
  const before = await usdcBalance(devnet, account.address);

  // The reader pays with a plain transfer of the quoted amount, from any wallet.
  const wallet = createWalletClient({ account, transport: http(devnet.rpcUrl) });
  const txHash = await wallet.writeContract({
    chain: null,
    address: devnet.usdc as Hex,
    abi: erc20Abi,
    functionName: "transfer",
    args: [devnet.payTo as Hex, BigInt(transferQuote.amount)],
  });
  await expect.poll(() => usdcBalance(devnet, account.address)).toBe(before - BigInt(transferQuote.amount));
  const issuedAt = new Date().toISOString();
  const signature = await account.signMessage({
    message: claimMessage({
      origin: baseUrl,
      resource: `article:${claimed.slug}`,
      txHash,
      chainId: devnet.chainId,
      issuedAt,
    }),
  });
  const claim = () =>
    fetch(`${baseUrl}/api/claims`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({
        resource: `/api/articles/${claimed.slug}`,
        txHash,
        signature,
        quote: transferQuote.token,
        issuedAt,
      }),
    });

  // Killed after the last chain read of the claim, before it could write or answer.
  let killed = false;
  proxy.setHook((call) =>
    call.method === "eth_getBlockByNumber" && !killed
      ? {
          dropAfter: () => {
            killed = true;
            killServer("SIGKILL");
          },
        }
      : "forward",
  );
  await expect(claim()).rejects.toThrow();
  expect(killed).toBe(true);

  proxy.setHook(null);
  server = startServer();
  await waitUntilUp();
  const again = await claim();
  expect(again.status, await again.clone().text()).toBe(200);
  expect(again.headers.get("set-cookie")).toMatch(/kiosk_receipt=/);
  expect(await usdcBalance(devnet, account.address)).toBe(before - BigInt(transferQuote.amount));
  // The sender claiming again (a lost cookie) gets the receipt again, never a second sale (below).
  expect((await claim()).status).toBe(200);

  killServer("SIGTERM");
  await new Promise((r) => setTimeout(r, 1_000));
  const db = await openDb({ kind: "pglite", dataDir: path.join(CRASH_DIR, "pglite") });
  try {
    const sales = await db.db
      .select()
      .from(payments)
      .where(and(eq(payments.resource, `article:${claimed.slug}`), eq(payments.status, "settled")));
    expect(sales).toHaveLength(1);
    expect(sales[0]!.txHash).toBe(txHash.toLowerCase());
  } finally {
    await db.close();
  }
});
