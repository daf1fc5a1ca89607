// The security headers every response carries (pages, API routes, CSV exports), built per request
// by proxy.ts. Pure: the caller supplies the nonce and what the wallet may talk to.
//
// The Content-Security-Policy is nonce-based: Next puts the nonce it finds in the request's CSP on
// its own scripts, and 'strict-dynamic' lets those load the chunks they import (the wallet stack is
// one such dynamic import). Styles stay 'unsafe-inline': RainbowKit writes its theme into a <style>
// element and React sets style attributes, and a style nonce would make browsers ignore that.
// connect-src lists exactly the RPC the browser's wallet stack reads (the local anvil, or the
// chain's public RPC) and, only when a WalletConnect project is configured, WalletConnect's hosts.

export type SecurityHeaderOptions = {
  nonce: string;
  production: boolean;
  /** Origins the browser's wallet stack sends JSON-RPC to. */
  walletRpcOrigins: string[];
  walletConnect: boolean;
};

const WALLETCONNECT_CONNECT = [
  "https://*.walletconnect.com",
  "https://*.walletconnect.org",
  "wss://*.walletconnect.com",
  "wss://*.walletconnect.org",
  "https://*.web3modal.org",
  "https://*.reown.com",
];
const WALLETCONNECT_FRAMES = ["https://verify.walletconnect.com", "https://verify.walletconnect.org"];

export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'unsafe-eval' only for `next dev` (React's dev build and fast refresh use eval).
    "script-src": [
      "'self'",
      `'nonce-${o.nonce}'`,
      "'strict-dynamic'",
      ...(o.production ? [] : ["'unsafe-eval'"]),
    ],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", ...(o.walletConnect ? ["https://*.walletconnect.com"] : [])],
    "font-src": ["'self'", "data:"],
    "connect-src": [
      "'self'",
      ...o.walletRpcOrigins,
      ...(o.walletConnect ? WALLETCONNECT_CONNECT : []),
      // `next dev` reloads over a websocket on the same host.
      ...(o.production ? [] : ["ws:", "wss:"]),
    ],
    "frame-src": o.walletConnect ? WALLETCONNECT_FRAMES : ["'none'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${[...new Set(values)].join(" ")}`)
    .join("; ");
}

export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(o),
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    // Older browsers that ignore frame-ancestors.
    "x-frame-options": "DENY",
    // Only over the real site: a browser pins HTTPS for two years. Never in development, where
    // http://localhost must keep working.
    ...(o.production ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** A fresh, unguessable nonce per request (128 bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

/** The nonce proxy.ts put in this request's CSP, for a page's own inline <script> (JSON-LD). */
export function nonceOf(csp: string | null): string | undefined {
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1];
}
