// npm run verify-receipt -- <receipt.json> <jwks.json | https://site/.well-known/jwks.json>
// Checks a downloaded Kiosk receipt against the site's published keys, offline when given the key
// set as a file: the signature by the key its kid names, and that no field of the receipt was
// edited. Prints one line; exits 0 when the receipt is valid, 1 otherwise.
import { readFileSync } from "node:fs";
import { verifyReceiptFile } from "../lib/receipts/signed-receipt";

async function readJson(source: string): Promise<unknown> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`${source} answered ${res.status}`);
    return res.json();
  }
  return JSON.parse(readFileSync(source, "utf8"));
}

async function main(): Promise<number> {
  const [receiptPath, jwksSource] = process.argv.slice(2);
  if (!receiptPath || !jwksSource) {
    console.error(
      "usage: npm run verify-receipt -- <receipt.json> <jwks.json | https://…/.well-known/jwks.json>",
    );
    return 2;
  }
  const jwks = (await readJson(jwksSource)) as { keys: [] };
  const result = await verifyReceiptFile(await readJson(receiptPath), jwks);
  if (result.kind === "invalid") {
    console.error(`INVALID: ${result.reason}`);
    return 1;
  }
  const r = result.receipt;
  const until = r.access.until ?? "forever";
  console.log(
    `valid (key ${result.kid}): ${r.site} sold "${r.resource.title}" (${r.resource.key}) for ${r.price.amount} atomic USDC to ${r.payer}, paid to ${r.payTo} on ${r.network} in ${r.transaction} at ${r.paidAt}; access until ${until}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`INVALID: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
