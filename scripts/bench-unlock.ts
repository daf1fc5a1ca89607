// `npm run bench:unlock`: how long a reader waits from clicking Unlock to reading the body
// (target for a returning reader, wallet already connected: p50 ≤ 600 ms on the local chain), and
// how much JavaScript the article page loads before any intent (target ≤ 150 KB gzip). Starts its own production stack
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
import { PREFETCH_MARK, UNLOCK_MARKS } from "../components/paywall/types";

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
  if (!(UNLOCKS >= 1 && 2 * (UNLOCKS + 1) <= 30))
    throw new Error("BENCH_UNLOCKS must be 1-14 (each run needs its own reader/article pair)");
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
    await waitFor(`${BASE}/api/articles`, 900_000); // includes `next build` on a busy machine
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

/**
 * Script bytes of the article page's initial load, before any intent; what the paywall's prefetch
 * adds once it is in view and the browser is idle (the wallet stack, downloaded, not run); and
 * what the click still adds. The page marks the prefetch (PREFETCH_MARK), so a script belongs to
 * the initial load when its request started before that mark.
 */
async function firstLoadJs(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = new Map<string, number>();
  const bodies: Promise<void>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script" || sizes.has(response.url())) return;
    sizes.set(response.url(), 0);
    bodies.push(
      response.body().then(
        (body) => void sizes.set(response.url(), gzipSync(body).length),
        () => undefined,
      ),
    );
  });
  await page.goto(`${BASE}/articles/${seedPricedArticles[0]!.slug}`);
  await expect(page.getByTestId("unlock-button")).toBeEnabled(); // hydrated
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, PREFETCH_MARK.loaded, {
    timeout: 30_000,
  });
  await browserIdle(page);
  const clickedAt = await page.evaluate(() => performance.now());
  await page.getByTestId("unlock-button").click();
  await page.getByRole("dialog").waitFor();
  await browserIdle(page);
  await Promise.all(bodies);
  // When each script's request started, against the prefetch mark and the click.
  const startedAt = new Map(
    await page.evaluate(() =>
      (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map(
        (e) => [e.name, e.startTime] as const,
      ),
    ),
  );
  const markAt = await page.evaluate(
    (mark) => performance.getEntriesByName(mark)[0]!.startTime,
    PREFETCH_MARK.started,
  );
  const sum = (urls: string[]) => urls.reduce((n, u) => n + (sizes.get(u) ?? 0), 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const all = [...sizes.keys()];
  // A script missing from the resource timeline counts as initial: the pessimistic side.
  const at = (u: string) => startedAt.get(u) ?? 0;
  const initial = all.filter((u) => at(u) < markAt);
  const prefetchedUrls = all.filter((u) => at(u) >= markAt && at(u) < clickedAt);
  const byClick = all.filter((u) => at(u) >= clickedAt);
  console.log(
    `\nArticle page JavaScript, initial load before any intent: ${initial.length} scripts, ${kb(sum(initial))} gzip (target ≤ 150 KB)`,
  );
  console.log(
    `Prefetched once the paywall is in view and the browser idle (the wallet stack, not run): ${prefetchedUrls.length} scripts, ${kb(sum(prefetchedUrls))} gzip`,
  );
  if (process.env.BENCH_LIST_SCRIPTS)
    for (const u of all)
      console.log(
        `  ${initial.includes(u) ? "initial " : prefetchedUrls.includes(u) ? "prefetch" : "click   "} ${kb(sizes.get(u) ?? 0).padStart(9)}  ${u}`,
      );
  console.log(`Still loaded by the Unlock click: ${byClick.length} scripts, ${kb(sum(byClick))} gzip`);
  await context.close();
}

type Timing = {
  total: number;
  toModal: number;
  pay: number;
  /** Confirm → the wallet's signature (the balance check, then the signing prompt). */
  sign: number;
  /** Signature → the paid request's answer (verify, settle on chain, receipt cookie). */
  request: number;
  /** Answer → the body on screen (the page rendered again on the server with the cookie). */
  render: number;
};

async function unlocks(browser: Browser, devnet: Devnet) {
  const readers = devnet.accounts.filter((a) => a.role === "reader");
  const articles = seedPricedArticles;
  // Pair i is (reader i mod 10, article i mod 6): distinct for i < 30, so every run really pays.
  let pair = 0;
  const next = () => {
    const i = pair++;
    return { reader: readers[i % readers.length]!, article: articles[i % articles.length]! };
  };
  const report = (label: string, timings: Timing[], parts: [keyof Timing, string][]) => {
    const pick = (key: keyof Timing) => timings.map((t) => t[key]);
    console.log(`\n${label}, over ${timings.length} unlocks:`);
    for (const [key, name] of parts)
      console.log(
        `  ${name.padEnd(24)} p50 ${ms(quantile(pick(key), 0.5))}  p95 ${ms(quantile(pick(key), 0.95))}`,
      );
  };

  // A first visit: no wallet connected yet, so the click opens RainbowKit and the reader picks one.
  // One warm-up run (first use of each code path in the server and Chromium), then UNLOCKS measured.
  const firstVisit: Timing[] = [];
  for (let i = 0; i <= UNLOCKS; i++) {
    const { reader, article } = next();
    const context = await browser.newContext();
    await injectTestWallet(context, devnet, reader);
    const page = await context.newPage();
    await page.goto(`${BASE}/articles/${article.slug}`);
    await expect(page.getByTestId("unlock-button")).toBeEnabled(); // hydrated
    await installMarks(page);
    await page.getByTestId("unlock-button").click();
    await page.getByTestId(`rk-wallet-option-${TEST_WALLET_RDNS}`).click();
    await page.getByTestId("paywall-confirm").click();
    await bodyShown(page, article.secretSentence);
    const t = await timing(page, "modal");
    await context.close();
    if (i > 0) firstVisit.push(t);
    log(i, article.slug, reader.address, `click→wallet list ${ms(t.toModal)}, Confirm→body ${ms(t.pay)}`, t);
  }

  // A returning reader: the wallet was connected on an earlier visit (wagmi keeps that in a cookie)
  // and is on the right chain, so the click leads straight to Confirm. The pointer reaches the
  // button with the click itself (the least warning the page can get); a person's pointer usually
  // rests on it a little first, which only helps.
  const returning: Timing[] = [];
  for (let i = 0; i <= UNLOCKS; i++) {
    const { reader, article } = next();
    const context = await browser.newContext();
    await injectTestWallet(context, devnet, reader);
    const page = await context.newPage();
    await connectOnce(page, articles.find((a) => a.slug !== article.slug)!.slug);
    await page.goto(`${BASE}/articles/${article.slug}`);
    await expect(page.getByTestId("unlock-button")).toBeEnabled();
    await installMarks(page);
    await page.getByTestId("unlock-button").click();
    await page.getByTestId("paywall-confirm").click();
    await bodyShown(page, article.secretSentence);
    const t = await timing(page, "paywall-confirm");
    await context.close();
    if (i > 0) returning.push(t);
    log(
      i,
      article.slug,
      reader.address,
      `click→Confirm shown ${ms(t.toModal)}, Confirm→body ${ms(t.pay)}`,
      t,
    );
  }

  report("First visit (pick a wallet in RainbowKit, then Confirm)", firstVisit, [
    ["total", "click Unlock → body"],
    ["toModal", "click → wallet list"],
    ["pay", "Confirm → body"],
    ["sign", "  Confirm → signature"],
    ["request", "  paid request"],
    ["render", "  server render → body"],
  ]);
  report("Returning reader (wallet connected before, one Confirm)", returning, [
    ["total", "click Unlock → body"],
    ["toModal", "click → Confirm clicked"],
    ["pay", "Confirm → body"],
    ["sign", "  Confirm → signature"],
    ["request", "  paid request"],
    ["render", "  server render → body"],
  ]);
}

/** Connects the test wallet on some article without paying, as an earlier visit would have. */
async function connectOnce(page: Page, slug: string) {
  await page.goto(`${BASE}/articles/${slug}`);
  await page.getByTestId("unlock-button").click();
  await page.getByTestId(`rk-wallet-option-${TEST_WALLET_RDNS}`).click();
  await expect(page.getByTestId("paywall-confirm")).toBeEnabled();
}

async function bodyShown(page: Page, secretSentence: string) {
  await page.getByTestId("article-body").filter({ hasText: secretSentence }).waitFor({ timeout: 30_000 });
}

/** click → `middle` (the wallet list, or the Confirm click) → body, from the page's own marks. */
async function timing(page: Page, middle: "modal" | "paywall-confirm"): Promise<Timing> {
  // No named helper inside the page function: tsx would wrap it in a `__name` call the page lacks.
  const marks = await page.evaluate(
    (names) =>
      ({
        ...(window as unknown as { __marks: Record<string, number> }).__marks,
        signed: performance.getEntriesByName(names.signed)[0]?.startTime ?? NaN,
        answered: performance.getEntriesByName(names.answered)[0]?.startTime ?? NaN,
      }) as Record<string, number>,
    { signed: UNLOCK_MARKS.signed, answered: UNLOCK_MARKS.answered },
  );
  return {
    total: marks.body! - marks["unlock-button"]!,
    toModal: marks[middle]! - marks["unlock-button"]!,
    pay: marks.body! - marks["paywall-confirm"]!,
    sign: marks.signed! - marks["paywall-confirm"]!,
    request: marks.answered! - marks.signed!,
    render: marks.body! - marks.answered!,
  };
}

function log(i: number, slug: string, address: string, parts: string, t: Timing) {
  console.log(
    `${i === 0 ? "warm-up" : `#${String(i).padStart(2)}`}  ${slug.padEnd(32)} reader ${address.slice(0, 8)}  ` +
      `click→body ${ms(t.total)}  (${parts})`,
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

/** Resolves once the page's main thread has had nothing to do (capped at 5 s). */
async function browserIdle(page: Page) {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 5_000 })),
  );
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
