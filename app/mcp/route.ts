// POST /mcp → the MCP endpoint (stateless Streamable HTTP, JSON answers): tools list_articles, search,
// get_article, get_dataset; priced calls pay with x402 in _meta (lib/http/mcp.ts) | GET, DELETE 405
import { handleMcp, mcpMethodNotAllowed } from "@/lib/http/mcp";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = apiRoute(handleMcp);
export const GET = async () => mcpMethodNotAllowed();
export const DELETE = async () => mcpMethodNotAllowed();
