// Security headers on every kind of response the production stack serves — pages, the paid API,
// data (a 402 and a 200), listings, the catalogue documents, the MCP endpoint, the studio and its
// CSV export — and a nonce-based CSP that the wallet stack lives with: opening the paywall
// (RainbowKit, wagmi, the injected wallet, reads from the local anvil) reports no CSP violation.
// The full pay flow under the same policy is reader.spec.ts and wallet.spec.ts.
import { expect, test } from "./fixtures";
import { E2E_ANVIL_PORT, E2E_BASE_URL } from "./fixtures/stack";
import { seedArticle, unlockAndConnect } from "./fixtures/paywall";

const article = seedArticle("clocks-that-disagree");
const PATHS = [
  "/",
  `/articles/${article.slug}`,
  "/studio",
  `/api/articles/${article.slug}`,
  "/api/articles",
  "/api/data",
  "/api/data/markets/stablecoin-supply.json",
  "/api/data/status.json",
  "/api/studio/sales.csv",
  "/.well-known/x402",
  "/.well-known/x402.json",
  "/openapi.json",
  "/llms.txt",
  "/llms-full.txt",
  "/sitemap.xml",
  "/robots.txt",
  "/mcp", // a GET: 405, POST only
  "/no-such-page",
];

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
}

test("every response carries CSP (frame-ancestors 'none', a nonce), HSTS, nosniff and a referrer policy", async () => {
  for (const path of PATHS) {
    const res = await fetch(E2E_BASE_URL + path, { redirect: "manual" });
    const h = res.headers;
    const csp = h.get("content-security-policy") ?? "";
    const d = directives(csp);
    expect(d.get("frame-ancestors"), path).toEqual(["'none'"]);
    expect(d.get("object-src"), path).toEqual(["'none'"]);
    expect(d.get("base-uri"), path).toEqual(["'self'"]);
    expect(
      d.get("script-src")?.some((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v)),
      path,
    ).toBe(true);
    expect(d.get("script-src"), path).toContain("'strict-dynamic'");
    expect(d.get("script-src"), path).not.toContain("'unsafe-inline'");
    expect(d.get("script-src"), path).not.toContain("'unsafe-eval'"); // production build
    // The browser's wallet reads the local chain; nothing else off-site.
    expect(d.get("connect-src"), path).toEqual(["'self'", `http://127.0.0.1:${E2E_ANVIL_PORT}`]);
    expect(h.get("x-content-type-options"), path).toBe("nosniff");
    expect(h.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    expect(h.get("strict-transport-security"), path).toMatch(/^max-age=\d{8,}/);
    expect(h.get("x-frame-options"), path).toBe("DENY");
  }
});

test("the nonce is fresh per response and is the one on the page's scripts", async () => {
  const nonceOf = (res: Response) =>
    /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";
  const a = await fetch(`${E2E_BASE_URL}/articles/${article.slug}`);
  const b = await fetch(`${E2E_BASE_URL}/articles/${article.slug}`);
  expect(nonceOf(a)).not.toBe(nonceOf(b));
  const html = await a.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonceOf(a)}"`);
});

test.describe("the wallet stack under the CSP", () => {
  test.use({ walletAccount: { role: "reader", index: 9 } });

  test("pages and the paywall (RainbowKit, wagmi, the injected wallet) load with no CSP violation", async ({
    page,
    wallet,
  }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (load|execute|connect|apply|frame)/i.test(m.text()))
        violations.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await page.goto("/");
    await expect(page.getByRole("list", { name: "Articles" })).toBeVisible();
    await page.goto(`/articles/${article.slug}`);
    await expect(page.getByTestId("locked-panel")).toBeVisible();
    await unlockAndConnect(page); // loads the wallet chunks, connects, reads the chain
    await expect(page.getByTestId("paywall-offer")).toBeVisible();
    expect(wallet.address).toMatch(/^0x/);
    await page.goto("/studio");
    await expect(page.getByTestId("studio-sign-in-panel")).toBeVisible();
    expect(violations).toEqual([]);
  });
});
