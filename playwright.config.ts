// End-to-end suite: a real stack (anvil + test USDC + PGlite + `next start`, from
// scripts/stack.ts) driven by Debian's Chromium. `npx playwright install` cannot download
// browsers on machines without internet access, hence executablePath and never `channel`.
import { defineConfig, devices } from "@playwright/test";
import { E2E_ANVIL_PORT, E2E_BASE_URL, E2E_DATA_DIR, E2E_PORT } from "./e2e/fixtures/stack";

const CHROMIUM = process.env.KIOSK_E2E_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // Files run side by side on two workers (the machines have two cores); tests within a file run
  // in order. Each worker pays from its own reader account (e2e/fixtures/wallet.ts).
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: "list",
  use: {
    baseURL: E2E_BASE_URL,
    headless: true,
    screenshot: "on",
    trace: "retain-on-failure",
    // A dev-compiled page can take a while on first visit; a production build does not.
    navigationTimeout: 30_000,
    actionTimeout: 10_000,
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "npx tsx scripts/stack.ts start --fresh",
    env: {
      PORT: String(E2E_PORT),
      ANVIL_PORT: String(E2E_ANVIL_PORT),
      KIOSK_DATA_DIR: E2E_DATA_DIR,
    },
    url: `${E2E_BASE_URL}/api/articles`,
    // Includes `next build` on a clean checkout (~40 s idle; over 200 s seen on a machine busy with
    // other builds; a run with the build past 480 s was seen with four other builds beside it) and
    // PGlite's first init.
    timeout: 900_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
