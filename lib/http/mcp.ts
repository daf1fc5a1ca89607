// The MCP endpoint's tools (POST /mcp): list_articles, search, get_article, get_dataset. The two
// get_ tools are the paid routes by another road: each call becomes the GET its HTTP twin would
// receive (the payment from `_meta["x402/payment"]` as PAYMENT-SIGNATURE, a receipt as the Bearer
// token, the caller's forwarded address for the rate limits) and goes through `answerPaid`, so a
// tool call is charged, limited, deduplicated, recorded and receipted exactly as the route is. The
// answer is then told in MCP's terms, following x402's MCP transport: a 402 is a tool result with
// `isError` and the PaymentRequired as structured content (and as JSON text); a delivery carries
// `_meta["x402/payment-response"]` and the receipt, which a later call sends back to read again.
//
// Stateless Streamable HTTP: a server and transport per request, no session, JSON answers (no
// stream), so any instance answers any call. Built on the SDK's own web-standard transport; the
// mcp-handler package wraps that same transport, but its tool callbacks cannot see the request
// (needed for the origin and the rate limits), and it brings Redis and SSE along.
import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402/core/http";
import { z } from "zod";
import { agentCatalogue, searchCatalogue, type AgentCatalogue } from "../content/agent-catalogue";
import { publishedCatalogue } from "../content/catalog-cache";
import { articleKeyOf, dataKeyOf, type Requested } from "../content/resource-keys";
import { env } from "../env";
import { encodeBase64Json } from "../x402/codec";
import { openDatabase } from "./database";
import { toErrorResponse } from "./errors";
import { baseUrlFor } from "./origin";
import { answerPaid } from "./paid-route";
import { readLimited } from "./route";

/** x402's MCP transport: where a payment and its settlement ride. */
export const PAYMENT_META = "x402/payment";
export const PAYMENT_RESPONSE_META = "x402/payment-response";
/** Kiosk's own: the receipt a delivery carries (send it back as the `receipt` argument). */
export const RECEIPT_META = "kiosk/receipt";

/** A tool call with a payment is about 2 KB; this leaves room and keeps junk small. */
const MAX_MCP_BODY_BYTES = 64 * 1024;

const receiptArg = z
  .string()
  .max(4096)
  .optional()
  .describe(
    "A receipt token from an earlier purchase (the kiosk/receipt of its result): read again without paying.",
  );

/** One MCP request, answered by a server made for it. */
export async function handleMcp(req: Request): Promise<Response> {
  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(await readLimited(req, MAX_MCP_BODY_BYTES));
  } catch (error) {
    // readLimited's "too large" is an ApiError (400); anything else here is not JSON.
    if (error instanceof SyntaxError) return jsonRpcError(400, -32700, "Parse error: the body must be JSON.");
    return toErrorResponse(error);
  }
  const server = mcpServer(req);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(req, { parsedBody });
  } finally {
    await server.close();
  }
}

/** GET (a server-sent stream) and DELETE (end a session) mean nothing without sessions. */
export function mcpMethodNotAllowed(): Response {
  const res = jsonRpcError(
    405,
    -32000,
    "Method not allowed: this MCP endpoint is stateless; POST JSON-RPC to it.",
  );
  res.headers.set("allow", "POST");
  return res;
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

function mcpServer(req: Request): McpServer {
  const server = new McpServer({ name: "kiosk", version: "1.0.0" });
  const origin = () => baseUrlFor(env().publicUrl, req);
  const catalogue = async (): Promise<AgentCatalogue> =>
    agentCatalogue(await publishedCatalogue(await openDatabase()), origin());

  server.registerTool(
    "list_articles",
    {
      description:
        "Every published article (title, author, teaser, price in USDC, whether it is free) and every dataset for sale, with their URLs.",
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => guarded(async () => listed(await catalogue())),
  );
  server.registerTool(
    "search",
    {
      description:
        "Articles whose title or teaser (and datasets whose name or description) contain every word of the query.",
      inputSchema: { query: z.string().trim().min(1).max(200).describe("Words to look for.") },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query }) => guarded(async () => listed(searchCatalogue(await catalogue(), query))),
  );
  server.registerTool(
    "get_article",
    {
      description:
        "An article's full text as Markdown. Free articles answer at once; a priced one answers with x402 payment requirements (isError, structuredContent) until the call carries a payment in _meta['x402/payment'] or a receipt.",
      inputSchema: {
        slug: z.string().max(200).describe("The article's slug (from list_articles)."),
        receipt: receiptArg,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ slug, receipt }, extra) =>
      paidCall(req, articleKeyOf({ slug }), {
        markdown: true,
        receipt,
        payment: extra._meta?.[PAYMENT_META],
      }),
  );
  server.registerTool(
    "get_dataset",
    {
      description:
        "A dataset as served (CSV, JSON, …). Priced ones answer with x402 payment requirements until the call carries a payment in _meta['x402/payment'] or a receipt.",
      inputSchema: {
        path: z.string().max(300).describe("The dataset's path (from list_articles)."),
        receipt: receiptArg,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path, receipt }, extra) =>
      paidCall(req, dataKeyOf({ path: path.split("/") }), {
        markdown: false,
        receipt,
        payment: extra._meta?.[PAYMENT_META],
      }),
  );
  return server;
}

function listed(catalogue: AgentCatalogue): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(catalogue) }], structuredContent: catalogue };
}

/** A tool whose failure (no database, say) is told as a tool error with the route's message. */
async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    return toolError(toErrorResponse(error));
  }
}

/** What the paid path reads about the client from the MCP request: its address, for the rate limits. */
const CLIENT_HEADERS = ["x-forwarded-for"] as const;

async function paidCall(
  mcpReq: Request,
  requested: Requested,
  p: { markdown: boolean; receipt?: string; payment: unknown },
): Promise<CallToolResult> {
  const headers = new Headers();
  for (const name of CLIENT_HEADERS) {
    const value = mcpReq.headers.get(name);
    if (value) headers.set(name, value);
  }
  if (p.markdown) headers.set("accept", "text/markdown");
  if (p.receipt) headers.set("authorization", `Bearer ${p.receipt}`);
  // The payment is checked where a header's is (bounded size, zod): here it is only carried there.
  if (p.payment !== undefined)
    headers.set("payment-signature", typeof p.payment === "string" ? p.payment : encodeBase64Json(p.payment));
  const path = requested.key ? pathOf(requested) : "/";
  const call = (h: Headers) =>
    answerPaid(new Request(new URL(path, mcpReq.url), { headers: h }), requested, {
      markdown: p.markdown,
      markdown402: false,
    }).catch(toErrorResponse);
  const res = await call(headers);
  if (res.status === 200) return delivered(res);
  if (res.status === 402) {
    // A refused signature's 402 names no requirements; the unpaid 402 (which writes nothing) does.
    let required = res;
    if (!res.headers.has("payment-required")) {
      headers.delete("payment-signature");
      required = await call(headers);
    }
    return paymentRequired(res, required);
  }
  return toolError(res);
}

function pathOf({ kind, key }: Requested): string {
  const id = key!.slice(key!.indexOf(":") + 1);
  return kind === "article"
    ? `/api/articles/${encodeURIComponent(id)}`
    : `/api/data/${id.split("/").map(encodeURIComponent).join("/")}`;
}

function settlementOf(res: Response): Record<string, unknown> {
  const header = res.headers.get("payment-response");
  return header ? { [PAYMENT_RESPONSE_META]: decodePaymentResponseHeader(header) } : {};
}

async function delivered(res: Response): Promise<CallToolResult> {
  const token = res.headers.get("kiosk-receipt");
  const expiresAt = res.headers.get("kiosk-receipt-expires");
  const content: CallToolResult["content"] = [{ type: "text", text: await res.text() }];
  if (token)
    content.push({
      type: "text",
      text: `Receipt: ${token}\nSend it as the receipt argument to read this again without paying${expiresAt ? ` (until ${expiresAt})` : ""}.`,
    });
  return {
    content,
    _meta: {
      ...settlementOf(res),
      ...(token ? { [RECEIPT_META]: { token, expiresAt } } : {}),
      "kiosk/access": res.headers.get("x-kiosk-access"),
    },
  };
}

const problemSchema = z.object({ error: z.string().max(2000) });

/**
 * x402's MCP signalling: the PaymentRequired as structured content and as the (first) text, with
 * the reason a payment was refused as its error.
 */
async function paymentRequired(answer: Response, offer: Response): Promise<CallToolResult> {
  const required = decodePaymentRequiredHeader(offer.headers.get("payment-required")!);
  const problem = problemSchema.safeParse(await answer.json().catch(() => null));
  if (problem.success) required.error = problem.data.error;
  return {
    isError: true,
    structuredContent: required as unknown as Record<string, unknown>,
    content: [{ type: "text", text: JSON.stringify(required) }],
    _meta: settlementOf(answer),
  };
}

/** Any other answer (400, 404, 409, 429, 503): its `{ error: { code, message } }`, and no content. */
async function toolError(res: Response): Promise<CallToolResult> {
  const text = await res.text();
  let structured: Record<string, unknown> = { error: { code: "internal", message: text } };
  try {
    structured = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: kept as the message above.
  }
  return {
    isError: true,
    structuredContent: { ...structured, status: res.status },
    content: [{ type: "text", text }],
    _meta: settlementOf(res),
  };
}
