// The OpenAPI 3.1 description of what Kiosk sells (/openapi.json): the free listings, and one
// operation per published article and data endpoint at its own URL, since each has its own price.
// A priced operation carries `x-payment-info` in the shape x402scan and AgentCash index
// (`price: { mode: "fixed", currency: "USD", amount }`, `protocols: [{ x402: {…} }]`) with the
// exact x402 terms its 402 will ask, a 402 answer with the PAYMENT-REQUIRED header, the receipt
// Bearer scheme (and sign-in-with-x where a purchase lasts) and the 409 of a payment in use.
// Built from CatalogueEntry, like the discovery document, so it cannot name another price.
// Pure: no Next, no env, no database access.
import { getAddress } from "viem";
import { atTime, isFree, SERVICE_NAME, type CatalogueEntry, type PricedResource } from "./catalog";
import { fromCatalogue } from "./catalog-cache";
import type { DiscoveryContext } from "./discovery";
import { toUsdcDecimal } from "./money";
import { pricePeriod } from "./pricing";

/** How long a signed authorization may take to settle (the 402's maxTimeoutSeconds). */
const MAX_TIMEOUT_SECONDS = 300;

const ref = (name: string) => ({ $ref: `#/components/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
};

const price = {
  type: "object",
  required: ["amount", "asset", "network"],
  properties: {
    amount: { type: "string", pattern: "^\\d+$", description: "Atomic USDC units (6 decimals)." },
    asset: { type: "string" },
    network: { type: "string", description: "CAIP-2 network id." },
  },
};

const listing = (item: unknown) => ({
  type: "object",
  required: ["items", "nextCursor", "next"],
  properties: {
    items: { type: "array", items: item },
    nextCursor: { type: ["string", "null"] },
    next: { type: ["string", "null"], format: "uri", description: "The following page's absolute URL." },
  },
});

const articleListingItem = {
  type: "object",
  required: ["slug", "title", "teaser", "price", "accessWindowSeconds", "url"],
  properties: {
    slug: { type: "string" },
    title: { type: "string" },
    teaser: { type: "string" },
    price,
    accessWindowSeconds: { type: ["integer", "null"], description: "null: readable forever." },
    url: { type: "string", format: "uri", description: "The article's paid API URL." },
  },
};

const dataListingItem = {
  type: "object",
  required: ["path", "name", "description", "contentType", "price", "accessWindowSeconds", "url"],
  properties: {
    path: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    contentType: { type: "string" },
    price,
    accessWindowSeconds: { type: ["integer", "null"], description: "null: each request is paid for." },
    url: { type: "string", format: "uri" },
  },
};

const article = {
  type: "object",
  required: ["article"],
  properties: {
    article: {
      type: "object",
      required: ["slug", "title", "teaser", "author", "price", "accessWindowSeconds", "body"],
      properties: {
        slug: { type: "string" },
        title: { type: "string" },
        teaser: { type: "string" },
        author: { type: "string" },
        price: {
          type: "object",
          required: ["amount", "display"],
          properties: { amount: { type: "string" }, display: { type: "string" } },
        },
        accessWindowSeconds: { type: ["integer", "null"] },
        body: { type: "string", description: "The article's Markdown." },
      },
    },
  },
};

const paymentRequiredBody = {
  type: "object",
  description:
    "A readable copy of the offer for people and x402 v1 clients; x402 v2 clients read the PAYMENT-REQUIRED header.",
  required: ["x402Version", "error", "accepts", "resource", "price", "payTo", "accessWindowSeconds"],
  properties: {
    x402Version: { enum: [1, 2] },
    error: { type: "string" },
    reason: { type: "string" },
    accepts: { type: "array", items: { type: "object" } },
    resource: { type: "object", properties: { url: { type: "string" } } },
    price: { type: "object" },
    payTo: { type: "string" },
    accessWindowSeconds: { type: ["integer", "null"] },
    paymentUri: {
      type: "string",
      description: "EIP-681 transfer link, for wallets that cannot sign EIP-3009.",
    },
  },
};

const header = (description: string) => ({ description, schema: { type: "string" } });

const components = {
  securitySchemes: {
    receipt: {
      type: "http",
      scheme: "bearer",
      description:
        "The `kiosk-receipt` token answered with a purchase that lasts: send it back to read again without paying until the access window ends.",
    },
    siwx: {
      type: "apiKey",
      in: "header",
      name: "SIGN-IN-WITH-X",
      description:
        "x402 sign-in-with-x: a wallet that bought before signs the challenge in the 402's `sign-in-with-x` extension and is let in without paying.",
    },
  },
  schemas: {
    Error: errorSchema,
    ArticleListing: listing(articleListingItem),
    DataListing: listing(dataListingItem),
    Article: article,
    PaymentRequired: paymentRequiredBody,
  },
  parameters: {
    limit: {
      name: "limit",
      in: "query",
      schema: { type: "integer", minimum: 1, maximum: 100, default: 50 },
    },
    cursor: {
      name: "cursor",
      in: "query",
      description: "The previous page's `nextCursor`.",
      schema: { type: "string" },
    },
    paymentSignature: {
      name: "PAYMENT-SIGNATURE",
      in: "header",
      required: false,
      description: "x402 v2: base64 JSON PaymentPayload answering the 402 (an EIP-3009 authorization).",
      schema: { type: "string" },
    },
  },
  responses: {
    BadRequest: { description: "Malformed input or payment header.", content: json(ref("schemas/Error")) },
    Unauthorized: {
      description: "A receipt or sign-in that is not valid for this resource.",
      content: json(ref("schemas/Error")),
    },
    NotFound: { description: "Nothing is published here.", content: json(ref("schemas/Error")) },
    PaymentRequired: {
      description: "Payment required: the offer is in the PAYMENT-REQUIRED header (base64 JSON, x402 v2).",
      headers: { "PAYMENT-REQUIRED": header("base64 JSON PaymentRequired (x402 v2).") },
      content: json(ref("schemas/PaymentRequired")),
    },
    Conflict: {
      description: "This payment is already in use by another request (or another payload under its id).",
      content: json(ref("schemas/Error")),
    },
    TooManyRequests: { description: "Too many requests.", content: json(ref("schemas/Error")) },
    Unavailable: {
      description: "The chain, the facilitator or the database is unavailable; nothing was charged.",
      content: json(ref("schemas/Error")),
    },
  },
};

function listOperation(operationId: string, summary: string, schema: string) {
  return {
    get: {
      operationId,
      summary,
      tags: ["Catalogue"],
      security: [{}],
      parameters: [ref("parameters/limit"), ref("parameters/cursor")],
      responses: {
        "200": { description: "A page of the listing.", content: json(ref(`schemas/${schema}`)) },
        "400": ref("responses/BadRequest"),
      },
    },
  };
}

/** A name OpenAPI tools accept as an operationId, unique per resource key. */
const operationId = (r: PricedResource) =>
  `${r.kind === "article" ? "getArticle" : "getData"}_${r.key.replace(/^[a-z]+:/, "").replace(/[^A-Za-z0-9]+/g, "_")}`;

function itemOperation(entry: CatalogueEntry, ctx: DiscoveryContext) {
  const r = atTime(entry.resource, ctx.now); // as the 402 asks it now
  const free = isFree(r);
  const lasting = r.kind === "article" || r.accessWindowSeconds !== null;
  const content = r.kind === "article" ? json(ref("schemas/Article")) : { [r.mimeType]: { schema: {} } };
  const paid = {
    "x-payment-info": {
      price: { mode: "fixed", currency: "USD", amount: toUsdcDecimal(r.priceAtomic) },
      protocols: [
        {
          x402: {
            version: 2,
            scheme: "exact",
            network: ctx.network,
            asset: ctx.asset,
            amount: r.priceAtomic.toString(),
            payTo: getAddress(r.payTo),
            maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
          },
        },
      ],
    },
    // Paying needs no credential; a receipt (or a sign-in) is the alternative to paying again.
    security: [{}, { receipt: [] }, ...(lasting ? [{ siwx: [] }] : [])],
    parameters: [ref("parameters/paymentSignature")],
  };
  return {
    get: {
      operationId: operationId(r),
      summary: r.title,
      description: free
        ? `${r.description}. Free.`
        : `${r.description}. ${r.kind === "article" ? "Teaser and page" : "Described"} at no cost; the content is paid per x402.`,
      tags: [r.kind === "article" ? "Articles" : "Data"],
      ...(free ? { security: [{}] } : paid),
      responses: {
        "200": {
          description: free ? "The content." : "The content, once paid (or with a valid receipt).",
          ...(free
            ? {}
            : {
                headers: {
                  "PAYMENT-RESPONSE": header("base64 JSON SettleResponse of the payment just made."),
                  "kiosk-receipt": header(
                    "The receipt token to send as Bearer next time (lasting purchases).",
                  ),
                  "kiosk-receipt-expires": header(
                    "When the receipt's access ends (ISO 8601); absent: never.",
                  ),
                },
              }),
          content,
        },
        ...(free
          ? {}
          : {
              "400": ref("responses/BadRequest"),
              "401": ref("responses/Unauthorized"),
              "402": ref("responses/PaymentRequired"),
              "409": ref("responses/Conflict"),
              "429": ref("responses/TooManyRequests"),
              "503": ref("responses/Unavailable"),
            }),
        "404": ref("responses/NotFound"),
      },
    },
  };
}

export function openApiDocument(entries: readonly CatalogueEntry[], ctx: DiscoveryContext) {
  const paths: Record<string, unknown> = {
    "/api/articles": listOperation("listArticles", "Every published article, newest first", "ArticleListing"),
    "/api/data": listOperation("listData", "Every published data endpoint, by path", "DataListing"),
  };
  for (const entry of entries) paths[entry.resource.apiPath] = itemOperation(entry, ctx);
  return {
    openapi: "3.1.0",
    info: {
      title: SERVICE_NAME,
      version: "1",
      description:
        "Articles and datasets sold per request in USDC over x402. GET an item: a priced one answers 402 with PAYMENT-REQUIRED; repeat with PAYMENT-SIGNATURE to receive it and a receipt.",
      "x-guidance": `List with GET /api/articles and /api/data (free). Each item's operation names its price in x-payment-info. Pay with any x402 v2 client; the official one refuses more than $1 a payment unless its spend controls allow more. Send the kiosk-receipt token as Authorization: Bearer to read again. More at ${ctx.origin}/llms.txt.`,
    },
    servers: [{ url: ctx.origin }],
    "x-discovery": { llmsTxtUrl: `${ctx.origin}/llms.txt`, x402: `${ctx.origin}/.well-known/x402` },
    tags: [{ name: "Catalogue" }, { name: "Articles" }, { name: "Data" }],
    paths,
    components,
  };
}

/** The document as sent, serialized once per catalogue and context (fromCatalogue). */
export function openApiJson(entries: readonly CatalogueEntry[], ctx: DiscoveryContext): string {
  // Prices change when a promotion starts or ends: the running ones are part of the key.
  const period = pricePeriod(
    entries.map((e) => e.resource),
    ctx.now,
  );
  return fromCatalogue(entries, `openapi ${ctx.origin} ${ctx.network} ${ctx.asset} ${period}`, () =>
    JSON.stringify(openApiDocument(entries, ctx)),
  );
}
