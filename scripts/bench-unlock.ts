// `npx tsx scripts/bench-unlock.ts`: how long a reader waits from clicking Unlock to reading the
// body (target: p50 ≤ 1.5 s on the local chain), and how much JavaScript the article page
// loads before that click (target < 150 KB gzip). Starts its own production stack
// (scripts/stack.ts start --fresh), drives Debian's Chromium with the e2e suite's injected wallet,
// unlocks a different (article, reader) pair each time, prints the figures and stops everything.
//
//   BENCH_UNLOCKS=12 BENCH_PORT=3450 BENCH_ANVIL_PORT=8795 BENCH_DATA_DIR=.data/bench-unlock
//
// The robot clicks as fast as the page allows, so the time is the software's, not a person's:
// the wallet pick and the Confirm click cost a few milliseconds here.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, expect, type Browser, type Page } from "@playwright/test";
import { seedPricedArticles } from "../lib/db/seed-content";
import { readDevnet, type Devnet } from "../lib/devnet/file";
import { injectTestWallet, TEST_WALLET_RDNS } from "../e2e/fixtures/wallet";

const PORT = Number(process.env.BENCH_PORT ?? 3450);
const ANVIL_PORT = Number(process.env.BENCH_ANVIL_PORT ?? 8795);
const DATA_DIR = path.resolve(process.env.BENCH_DATA_DIR ?? ".data/bench-unlock");
const UNLOCKS = Number(process.env.BENCH_UNLOCKS ?? 12);
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.KIOSK_E2E_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
];

async function main() {
  if (!(UNLOCKS >= 1 && UNLOCKS < 30))
    throw new Error("BENCH_UNLOCKS must be 1-29 (each run needs its own reader/article pair)");
  rmSync(DATA_DIR, { recursive: true, force: true });
  // Its own process group, so stopping it stops Next and anvil too (killing the `npx` PID alone leaves the real server, a grandchild, running).
  const stack = spawn("npx", ["tsx", "scripts/stack.ts", "start", "--fresh"], {
    env: { ...process.env, PORT: String(PORT), ANVIL_PORT: String(ANVIL_PORT), KIOSK_DATA_DIR: DATA_DIR },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-stack.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", stop);
  process.on("SIGINT", () => process.exit(130));
  let browser: Browser | null = null;
  try {
    await waitFor(`${BASE}/api/articles`, 400_000);
    const devnet = readDevnet(DATA_DIR);
    if (!devnet) throw new Error("bench-unlock: devnet.json missing after start");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await firstLoadJs(browser);
    await unlocks(browser, devnet);
  } finally {
    await browser?.close();
    stop();
    await new Promise((r) => setTimeout(r, 1500));
  }
}

/** Script bytes the article page loads before Unlock, and what the click adds (the wallet stack). */
async function firstLoadJs(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Map<string, { encoded: number; gzip: number }>();
  const track = (phase: "before" | "after") => async (response: import("@playwright/test").Response) => {
    if (response.request().resourceType() !== "script" || scripts.has(response.url())) return;
    scripts.set(response.url(), { encoded: 0, gzip: 0 });
    const body = await response.body().catch(() => Buffer.alloc(0));
    const sizes = await response
      .request()
      .sizes()
      .catch(() => ({ responseBodySize: 0 }));
    scripts.set(response.url(), { encoded: sizes.responseBodySize, gzip: gzipSync(body).length });
    (phase === "before" ? before : after).push(response.url());
  };
  const before: string[] = [];
  const after: string[] = [];
  const onBefore = track("before");
  page.on("response", onBefore);
  await page.goto(`${BASE}/articles/${seedPricedArticles[0]!.slug}`);
  await expect(page.getByTestId("unlock-button")).toBeEnabled(); // hydrated
  await page.waitForTimeout(1_000); // anything loaded lazily after hydration counts too
  page.off("response", onBefore);
  page.on("response", track("after"));
  await page.getByTestId("unlock-button").click();
  await page.getByRole("dialog").waitFor();
  await page.waitForTimeout(1_000);
  const sum = (urls: string[], key: "encoded" | "gzip") =>
    urls.reduce((n, u) => n + (scripts.get(u)?.[key] ?? 0), 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `\nArticle page JavaScript before Unlock: ${before.length} scripts, ${kb(sum(before, "gzip"))} gzip (${kb(sum(before, "encoded"))} as sent by next start)`,
  );
  console.log(
    `Loaded by the Unlock click (wallet stack, on demand): ${after.length} scripts, ${kb(sum(after, "gzip"))} gzip`,
  );
  await context.close();
}

type Timing = { total: number; toModal: number; pay: number };

async function unlocks(browser: Browser, devnet: Devnet) {
  const readers = devnet.accounts.filter((a) => a.role === "reader");
  const articles = seedPricedArticles;
  const timings: Timing[] = [];
  // One warm-up run (first use of each code path in the server and Chromium), then UNLOCKS measured.
  // Pair i is (reader i mod 10, article i mod 6): distinct for i < 30, so every run really pays.
  for (let i = 0; i <= UNLOCKS; i++) {
    const reader = readers[i % readers.length]!;
    const article = articles[i % articles.length]!;
    const context = await browser.newContext();
    await injectTestWallet(context, devnet, reader);
    const page = await context.newPage();
    await page.goto(`${BASE}/articles/${article.slug}`);
    await expect(page.getByTestId("unlock-button")).toBeEnabled(); // hydrated
    await installMarks(page);
    await page.getByTestId("unlock-button").click();
    await page.getByTestId(`rk-wallet-option-${TEST_WALLET_RDNS}`).click();
    await page.getByTestId("paywall-confirm").click();
    await page
      .getByTestId("article-body")
      .filter({ hasText: article.secretSentence })
      .waitFor({ timeout: 30_000 });
    const marks = await page.evaluate(
      () => (window as unknown as { __marks: Record<string, number> }).__marks,
    );
    await context.close();
    const t = {
      total: marks.body! - marks["unlock-button"]!,
      toModal: marks.modal! - marks["unlock-button"]!,
      pay: marks.body! - marks["paywall-confirm"]!,
    };
    if (i > 0) timings.push(t);
    console.log(
      `${i === 0 ? "warm-up" : `#${String(i).padStart(2)}`}  ${article.slug.padEnd(32)} reader ${reader.address.slice(0, 8)}  ` +
        `click→body ${ms(t.total)}  (click→wallet list ${ms(t.toModal)}, Confirm→body ${ms(t.pay)})`,
    );
  }
  const pick = (key: keyof Timing) => timings.map((t) => t[key]);
  console.log(`\nUnlock → body visible over ${timings.length} unlocks:`);
  console.log(
    `  click Unlock → body   p50 ${ms(quantile(pick("total"), 0.5))}  p95 ${ms(quantile(pick("total"), 0.95))}`,
  );
  console.log(
    `  click → wallet list   p50 ${ms(quantile(pick("toModal"), 0.5))}  p95 ${ms(quantile(pick("toModal"), 0.95))}`,
  );
  console.log(
    `  Confirm → body        p50 ${ms(quantile(pick("pay"), 0.5))}  p95 ${ms(quantile(pick("pay"), 0.95))}`,
  );
}

/** Timestamps taken in the page itself: clicks on test ids, the modal appearing, the body appearing. */
async function installMarks(page: Page) {
  await page.evaluate(() => {
    const marks: Record<string, number> = {};
    (window as unknown as { __marks: Record<string, number> }).__marks = marks;
    document.addEventListener(
      "click",
      (event) => {
        const id = (event.target as Element | null)?.closest("[data-testid]")?.getAttribute("data-testid");
        if (id && !(id in marks)) marks[id] = performance.now();
      },
      true,
    );
    new MutationObserver(() => {
      const now = performance.now();
      if (!marks.modal && document.querySelector('[role="dialog"]')) marks.modal = now;
      if (!marks.body && document.querySelector('[data-testid="article-body"]')) marks.body = now;
    }).observe(document.body, { subtree: true, childList: true });
  });
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: with 12 runs, p95 is the 12th value (the slowest).
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

const ms = (n: number) => `${Math.round(n)} ms`.padStart(7);

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`bench-unlock: ${url} did not answer within ${timeoutMs / 1000} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
