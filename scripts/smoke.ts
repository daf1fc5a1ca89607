// npm run smoke -- https://kiosk.example — checks a deployed Kiosk without paying anything:
// health (database, RPC, facilitator), the catalog (what agents read first), and that a priced
// article answers 402 with a well-formed x402 offer matching the catalog (same asset, network,
// amount) and naming its own public URL. Prints one line per check; exits 1 if any fails.
import { decodePaymentRequiredHeader } from "@x402/core/http";

type Check = { name: string; run: () => Promise<string> };

const TIMEOUT_MS = 15_000;

async function get(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "application/json" } });
}

function fail(message: string): never {
  throw new Error(message);
}

export function smokeChecks(site: string): Check[] {
  const base = site.replace(/\/$/, "");
  let listing: {
    items: { slug: string; url: string; price: { amount: string; asset: string; network: string } }[];
  };
  return [
    {
      name: "health",
      async run() {
        const r = await get(`${base}/api/health`);
        const body = (await r.json().catch(() => null)) as { ok?: boolean; failing?: string[] } | null;
        if (!body || typeof body.ok !== "boolean") fail(`/api/health answered ${r.status} without a report`);
        if (!body.ok) fail(`unhealthy (${r.status}): ${body.failing?.join(", ") || "unknown part"}`);
        return "database, RPC and facilitator ok";
      },
    },
    {
      name: "catalog",
      async run() {
        const r = await get(`${base}/api/articles`);
        if (r.status !== 200) fail(`/api/articles answered ${r.status}`);
        listing = (await r.json()) as typeof listing;
        if (!Array.isArray(listing.items)) fail("/api/articles has no items array");
        const priced = listing.items.filter((i) => BigInt(i.price.amount) > 0n).length;
        if (priced === 0) fail("no priced article is listed");
        return `${listing.items.length} article(s), ${priced} priced`;
      },
    },
    {
      name: "402 offer",
      async run() {
        const item = listing?.items.find((i) => BigInt(i.price.amount) > 0n);
        if (!item) fail("skipped: no priced article in the catalog");
        if (!item.url.startsWith(base))
          fail(`the catalog names ${item.url}, not under ${base} (PUBLIC_URL?)`);
        const r = await get(item.url);
        if (r.status !== 402) fail(`${item.url} answered ${r.status}, not 402`);
        const header = r.headers.get("payment-required");
        if (!header) fail("the 402 has no PAYMENT-REQUIRED header");
        const offer = decodePaymentRequiredHeader(header);
        const exact = offer.accepts.find((a) => a.scheme === "exact");
        if (!exact) fail("the 402 offers no `exact` scheme");
        if (exact.network !== item.price.network)
          fail(`offer network ${exact.network} ≠ catalog ${item.price.network}`);
        if (exact.asset.toLowerCase() !== item.price.asset.toLowerCase())
          fail("offer asset differs from the catalog");
        if (exact.amount !== item.price.amount)
          fail(`offer amount ${exact.amount} ≠ catalog ${item.price.amount}`);
        if (offer.resource?.url !== item.url) fail(`offer resource ${offer.resource?.url} ≠ ${item.url}`);
        return `${item.slug}: ${exact.amount} atomic units on ${exact.network}, pay to ${exact.payTo}`;
      },
    },
  ];
}

async function main(): Promise<void> {
  const site = process.argv[2];
  if (!site || !/^https?:\/\//.test(site)) {
    console.error("usage: npm run smoke -- https://your-kiosk.example");
    process.exit(2);
  }
  let failed = 0;
  for (const check of smokeChecks(site)) {
    try {
      console.log(`ok    ${check.name}: ${await check.run()}`);
    } catch (error) {
      failed++;
      console.log(`FAIL  ${check.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
