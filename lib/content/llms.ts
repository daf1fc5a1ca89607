// /llms.txt and /llms-full.txt (the llmstxt.org convention): the site in Markdown for language
// models and agents — what it is, how to pay, where the catalogue is, and every published item
// with its price. llms-full.txt adds the free articles in full and the teasers of the priced
// ones. Built from CatalogueEntry (public fields only), so a priced body cannot reach either.
// Pure: no Next, no env, no database access.
import { atTime, isFree, SERVICE_NAME, type CatalogueEntry } from "./catalog";
import { fromCatalogue } from "./catalog-cache";
import type { DiscoveryContext } from "./discovery";
import { formatAccessWindow, formatPrice } from "./money";
import { pricePeriod } from "./pricing";

/** Where the site is and what it is paid in: the discovery document's context. */
export type LlmsContext = DiscoveryContext;

/** The official x402 client's default cap per payment, in atomic USDC ($1). */
export const STOCK_CLIENT_CAP_ATOMIC = 1_000_000n;

/** The machine-readable documents beside this one. */
const documents = (ctx: LlmsContext) => [
  `- [Discovery document](${ctx.origin}/.well-known/x402): every item for sale as JSON, with its price in atomic units and USD, network, asset, payTo, access window and MIME type`,
  `- [OpenAPI](${ctx.origin}/openapi.json): OpenAPI 3.1 of the listings and every item, with \`x-payment-info\` on each priced operation`,
  `- [Articles](${ctx.origin}/api/articles): the free JSON listing of articles, a page at a time (\`?cursor=\` from \`nextCursor\`)`,
  `- [Datasets](${ctx.origin}/api/data): the free JSON listing of data endpoints, paged the same way`,
  `- [MCP](${ctx.origin}/mcp): a Model Context Protocol endpoint (stateless Streamable HTTP, \`POST\`) with the tools \`list_articles\`, \`search\`, \`get_article\` and \`get_dataset\`; a priced call answers the payment requirements, and one with \`_meta["x402/payment"]\` pays through the same 402 as the URLs`,
  `- Markdown: \`GET\` an article's page (\`${ctx.origin}/articles/<slug>\`) or its API URL with \`Accept: text/markdown\` for the article as Markdown (the same 402 first when it is priced)`,
  `- [Free content in full](${ctx.origin}/llms-full.txt): this file with every free article's text and every priced article's teaser`,
];

function header(entries: readonly CatalogueEntry[], ctx: LlmsContext): string {
  const overCap = entries.some((e) => atTime(e.resource, ctx.now).priceAtomic > STOCK_CLIENT_CAP_ATOMIC);
  return `# ${SERVICE_NAME}

> Articles and datasets sold one request at a time in USDC over x402 (HTTP 402 Payment Required). No account and no API key: GET a URL, pay the 402, receive the content and a receipt.

Payments are USDC (\`${ctx.asset}\`) on \`${ctx.network}\`, paid straight to each publisher's address. Listings, teasers and everything marked free cost nothing.

## How to pay

1. \`GET\` an item's URL from the lists below. A priced item answers \`402\` with a \`PAYMENT-REQUIRED\` header: base64 JSON (x402 v2) naming the amount in atomic units (USDC has 6 decimals: 10000 = $0.01), the network, the asset and \`payTo\`.
2. Sign an EIP-3009 \`TransferWithAuthorization\` for exactly that amount (scheme \`exact\`: a signature, no gas, nothing sent from the wallet) and repeat the \`GET\` with it, base64 JSON, in the \`PAYMENT-SIGNATURE\` header.
3. The answer is \`200\` with the content and a \`PAYMENT-RESPONSE\` header naming the settlement. A lasting purchase also answers a \`kiosk-receipt\` token: send \`Authorization: Bearer <token>\` to read again without paying until the access window ends. A wallet that lost its token signs the \`sign-in-with-x\` challenge the 402 carries instead of paying again.

Any x402 v2 client does all three, e.g. \`wrapFetchWithPayment\` from \`@x402/fetch\`. Spend cap: the official client refuses a payment above $1 unless told otherwise (\`spendControls: { maxAmountPerPayment: "$5" }\`)${overCap ? "; items that cost more are marked below" : ""}.

## Catalogue

${documents(ctx).join("\n")}
`;
}

/** The price as the 402 asks it at `now` (a promotion may be running), and what it buys. */
function priceNote(entry: CatalogueEntry, now: Date): string {
  const r = atTime(entry.resource, now);
  if (isFree(r)) return "free";
  const terms =
    r.kind === "article"
      ? `readable ${r.accessWindowSeconds === null ? "forever" : `for ${formatAccessWindow(r.accessWindowSeconds)}`}`
      : r.accessWindowSeconds === null
        ? "per request"
        : `${formatAccessWindow(r.accessWindowSeconds)} of access`;
  const cap = r.priceAtomic > STOCK_CLIENT_CAP_ATOMIC ? " (above the official client's $1 default cap)" : "";
  return `${formatPrice(r.priceAtomic)}, ${terms}${cap}`;
}

/** One line per item: its API URL (what agents GET), price and terms, then what it is. */
function itemLine(entry: CatalogueEntry, ctx: LlmsContext): string {
  const r = entry.resource;
  const about =
    r.kind === "article"
      ? `by ${r.publisherName}. ${oneLine(entry.teaser ?? "")} Page: ${ctx.origin}${r.pagePath}`
      : `${oneLine(r.description)} (${r.mimeType})`;
  return `- [${brackets(r.title)}](${ctx.origin}${r.apiPath}): ${priceNote(entry, ctx.now)}; ${about}`;
}

function lists(entries: readonly CatalogueEntry[], ctx: LlmsContext): string {
  const articles = entries.filter((e) => e.resource.kind === "article");
  const data = entries.filter((e) => e.resource.kind === "data");
  const section = (title: string, items: CatalogueEntry[]) =>
    `## ${title}\n\n${items.length ? items.map((e) => itemLine(e, ctx)).join("\n") : "Nothing published yet."}\n`;
  return `${section("Articles", articles)}\n${section("Datasets", data)}`;
}

export function llmsTxt(entries: readonly CatalogueEntry[], ctx: LlmsContext): string {
  return `${header(entries, ctx)}\n${lists(entries, ctx)}`;
}

/**
 * llms.txt followed by the free text: each free article's Markdown in full, each priced
 * article's teaser with where to buy the rest. The priced body is not in CatalogueEntry at all.
 */
export function llmsFullTxt(entries: readonly CatalogueEntry[], ctx: LlmsContext): string {
  const texts = entries
    .filter((e) => e.resource.kind === "article")
    .map((e) => {
      const r = e.resource;
      const byline = `By ${r.publisherName} · ${ctx.origin}${r.pagePath}`;
      const text =
        e.freeBody !== null
          ? e.freeBody.trim()
          : `${(e.teaser ?? "").trim()}\n\n_The rest costs ${priceNote(e, ctx.now)}: \`GET ${ctx.origin}${r.apiPath}\`._`;
      // Headings inside a body move down two levels, so each article stays one section here.
      return `## ${oneLine(r.title)}\n\n${byline}\n\n${demoteHeadings(text)}\n`;
    });
  return `${llmsTxt(entries, ctx)}\n# The free text\n\n${texts.join("\n")}`;
}

/** Each document serialized once per catalogue and context (fromCatalogue). */
export function llmsDocument(
  name: "llms.txt" | "llms-full.txt",
  entries: readonly CatalogueEntry[],
  ctx: LlmsContext,
): string {
  // Prices change when a promotion starts or ends: the running ones are part of the key.
  const period = pricePeriod(
    entries.map((e) => e.resource),
    ctx.now,
  );
  return fromCatalogue(entries, `${name} ${ctx.origin} ${ctx.network} ${ctx.asset} ${period}`, () =>
    name === "llms.txt" ? llmsTxt(entries, ctx) : llmsFullTxt(entries, ctx),
  );
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
const brackets = (s: string) => oneLine(s).replace(/[[\]]/g, (c) => `\\${c}`);
const demoteHeadings = (markdown: string) => markdown.replace(/^(#{1,4})(?=\s)/gm, (hashes) => `${hashes}##`);
