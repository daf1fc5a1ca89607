// Runs before every page and API route. Two jobs:
// 1. Security headers on every response (lib/security-headers.ts), with a fresh CSP nonce that
//    Next reads from the request's CSP and puts on its own scripts.
// 2. On paid paths: drops any client-sent copy of Kiosk's internal receipt header, verifies the
//    reader's receipt (lib/verify.ts, and that it was not refunded) and forwards it; for a signed-in reader without one, mints
//    it when the wallet holds the item (lib/http/reader.ts) and sets its cookies. The route and the page verify again before
//    revealing anything (CVE-2025-29927: never the only gate).
import { NextResponse, type NextRequest } from "next/server";
import { chainFor } from "./components/wallet/chain-config";
import { resourceKeyForPath } from "./lib/content/resource-keys";
import { env } from "./lib/env";
import { READER_COOKIE, RECEIPT_COOKIE } from "./lib/http/cookies";
import { restoreForReader } from "./lib/http/reader";
import { receiptOpens } from "./lib/http/receipt-check";
import { receiptSecrets } from "./lib/receipt-secrets";
import { newNonce, securityHeaders } from "./lib/security-headers";
import { RECEIPT_HEADER, receiptTokenFrom } from "./lib/verify";
import { walletChainConfig } from "./lib/wallet-chain-config";

export async function proxy(req: NextRequest) {
  const headers = new Headers(req.headers);
  headers.delete(RECEIPT_HEADER);
  const key = resourceKeyForPath(req.nextUrl.pathname);
  const token = receiptTokenFrom(req.headers, req.cookies.get(RECEIPT_COOKIE)?.value, { forwarded: false });
  let verified = false;
  if (key && token) {
    verified = await receiptOpens(token, key, receiptSecrets());
    if (verified) headers.set(RECEIPT_HEADER, token);
  }
  // A signed-in reader without this item's receipt: mint it if the wallet holds the item.
  const restored = key && !verified && hasReaderCookie(req) ? await restoreForReader(req, key) : null;
  if (restored) headers.set(RECEIPT_HEADER, restored.token);
  const security = securityHeaders({ nonce: newNonce(), ...walletPolicy() });
  headers.set("content-security-policy", security["content-security-policy"]!);
  const res = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(security)) res.headers.set(name, value);
  for (const cookie of restored?.setCookies ?? []) res.headers.append("set-cookie", cookie);
  return res;
}

/** Either spelling of the reader session cookie; restoreForReader checks it properly. */
const hasReaderCookie = (req: NextRequest) =>
  req.cookies.has(READER_COOKIE) || req.cookies.has(`__Host-${READER_COOKIE}`);

type WalletPolicy = { production: boolean; walletRpcOrigins: string[]; walletConnect: boolean };
/** The configuration does not change while the process runs: worked out once, not per request. */
let policy: WalletPolicy | null = null;

/** What the browser's wallet stack talks to: the same RPC its wagmi config is built with. */
function walletPolicy(): WalletPolicy {
  if (policy) return policy;
  const production = process.env.NODE_ENV === "production";
  try {
    const config = walletChainConfig(env());
    const rpc = chainFor(config).rpcUrls.default.http[0];
    policy = {
      production,
      walletRpcOrigins: rpc ? [new URL(rpc).origin] : [],
      walletConnect: Boolean(config.walletConnectProjectId),
    };
    return policy;
  } catch {
    // No usable configuration: the pages cannot pay anyway; keep the policy at its strictest.
    return { production, walletRpcOrigins: [], walletConnect: false };
  }
}

export const config = {
  // Everything but Next's fingerprinted static files, which carry no HTML.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
