import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "./security-headers";

const base = {
  nonce: "abc123abc123abc123abcd==",
  walletRpcOrigins: ["http://127.0.0.1:8545"],
  walletConnect: false,
};

describe("securityHeaders", () => {
  it("sends HSTS in production only, and nosniff, a referrer policy and no framing always", () => {
    const prod = securityHeaders({ ...base, production: true });
    expect(prod["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    const dev = securityHeaders({ ...base, production: false });
    expect(dev["strict-transport-security"]).toBeUndefined();
    for (const h of [prod, dev]) {
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    }
  });

  it("allows eval and the dev websocket only outside production, and WalletConnect only when configured", () => {
    const prod = contentSecurityPolicy({ ...base, production: true });
    expect(prod).toContain(`script-src 'self' 'nonce-${base.nonce}' 'strict-dynamic';`);
    expect(prod).toContain("connect-src 'self' http://127.0.0.1:8545;");
    expect(prod).toContain("frame-src 'none'");
    expect(prod).not.toMatch(/unsafe-eval|walletconnect|ws:/);
    const dev = contentSecurityPolicy({ ...base, production: false });
    expect(dev).toContain("'unsafe-eval'");
    expect(dev).toMatch(/connect-src [^;]*ws:/);
    const wc = contentSecurityPolicy({ ...base, production: true, walletConnect: true });
    expect(wc).toMatch(/connect-src [^;]*wss:\/\/\*\.walletconnect\.org/);
    expect(wc).toContain("frame-src https://verify.walletconnect.com https://verify.walletconnect.org");
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
