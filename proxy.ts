// Runs before paid pages and API routes: drops any client-sent copy of Kiosk's internal receipt
// header, verifies the reader's receipt (lib/verify.ts) and forwards it to the route. The route
// and the page verify again before revealing anything (CVE-2025-29927: never the only gate).
import { NextResponse, type NextRequest } from "next/server";
import { receiptSecrets } from "./lib/receipt-secrets";
import {
  RECEIPT_COOKIE,
  RECEIPT_HEADER,
  receiptTokenFrom,
  resourceKeyForPath,
  verifyReceipt,
} from "./lib/verify";

export async function proxy(req: NextRequest) {
  const headers = new Headers(req.headers);
  headers.delete(RECEIPT_HEADER);
  const key = resourceKeyForPath(req.nextUrl.pathname);
  const token = receiptTokenFrom(req.headers, req.cookies.get(RECEIPT_COOKIE)?.value, { forwarded: false });
  if (key && token) {
    const check = await verifyReceipt(token, key, receiptSecrets());
    if (check.kind === "valid") headers.set(RECEIPT_HEADER, token);
  }
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/articles/:slug", "/api/articles/:slug", "/api/data/:path+"],
};
